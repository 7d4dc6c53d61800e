package dev.ecsbluegreen.swap.execution;

import dev.ecsbluegreen.swap.execution.BoundedWriter.Failure;
import dev.ecsbluegreen.core.Deadline;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the load balancer back and says only what a read-back shows. Undoes every change of the {@link Ledger}
 * that may have landed (in the order they were made, {@link BoundedWriter#CONCURRENCY} at a time), then reads back; whatever
 * still differs from the target — a write that landed after its undo, an undo that failed on a passing fault, or
 * everything, when an earlier delivery was interrupted and this one has no ledger — is written again while the
 * {@link Budget} allows, and read back once more; a read-back that fails is tried again the same way. The result is the last read-back's, never the plan's.
 */
public final class VerifiedRestore {
    /** Rounds of "read back, write what still differs" after the undos. */
    static final int CORRECTION_ROUNDS = 2;

    private VerifiedRestore() {}

    /** The state a restore must reach, as a read-back compares it. */
    public interface Target {
        /**
         * Reads the current state (calls bounded by {@code deadline}) and compares it with the target.
         *
         * @throws RuntimeException when the state cannot be read
         */
        ReadBack readBack(dev.ecsbluegreen.core.Deadline deadline);
    }

    /**
     * @param corrections one {@link Change#correction} per thing that differs from the target; empty: it is there
     * @param described the state as read, for the report
     */
    public record ReadBack(List<Change> corrections, String described) {
        public ReadBack {
            corrections = List.copyOf(corrections);
        }
    }

    /**
     * @param verified the last read-back matched the target
     * @param notRestored what still differs (or could not be written), each with why; empty when verified
     * @param stateAsRead the last read-back's description; null when no read-back succeeded
     * @param readFailure why the state could not be read; null when it could
     */
    public record Result(boolean verified, List<Failure> notRestored, String stateAsRead, String readFailure) {
        public Result {
            notRestored = List.copyOf(notRestored);
        }
    }

    public static Result run(Ledger ledger, Target target, BoundedWriter writer, Budget budget) {
        List<Failure> failures = writer.undo(ledger.toUndo());
        for (int round = 0; ; round++) {
            ReadBack readBack;
            try {
                // what the report says matters more than the state tag: past its own slot, the read-back takes that one's
                Deadline slot = budget.forReadBack();
                readBack = target.readBack(slot.remaining().isZero() ? budget.work() : slot);
            } catch (RuntimeException | Error e) {
                // a read changes nothing: read again while a round is left and time allows
                if (round < CORRECTION_ROUNDS && budget.affordsCorrections(0)) {
                    continue;
                }
                List<Failure> unknown = new ArrayList<>(failures);
                return new Result(false, unknown, null, e.getMessage() == null ? e.toString() : e.getMessage());
            }
            if (readBack.corrections().isEmpty()) {
                return new Result(true, List.of(), readBack.described(), null);
            }
            if (round == CORRECTION_ROUNDS || !budget.affordsCorrections(readBack.corrections().size())) {
                List<Failure> still = new ArrayList<>();
                for (Change change : readBack.corrections()) {
                    String why = failures.stream().filter(f -> f.what().equals(change.what())).map(Failure::why)
                            .findFirst().orElse("still differs when read back");
                    still.add(new Failure(change.what(), why));
                }
                return new Result(false, still, readBack.described(), null);
            }
            failures = writer.undo(readBack.corrections());
        }
    }
}

package dev.ecsbluegreen.swap.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BudgetAndLedgerTest {
    private final AtomicLong clock = new AtomicLong();

    private Budget budget(Duration work) {
        return new Budget(Deadline.after(work, clock::get));
    }

    @Test
    void theRestoreReserveGrowsWithTheWritesAndWithHowSlowCallsWere() {
        Budget budget = budget(Duration.ofSeconds(50));
        assertEquals(Budget.MIN_CALL, budget.callEstimate());
        Duration four = budget.restoreReserve(4);
        assertTrue(budget.restoreReserve(100).compareTo(four) > 0);
        long start = budget.now();
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        budget.observeSince(start);
        assertEquals(Duration.ofSeconds(2), budget.callEstimate());
        assertTrue(budget.restoreReserve(4).compareTo(four) > 0);
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        budget.observeSince(start);
        assertEquals(Budget.MAX_CALL, budget.callEstimate(), "one stuck call must not make every estimate unbounded");
    }

    @Test
    void writesStopWhileTheirRestoreStillFits() {
        Budget budget = budget(Duration.ofSeconds(3));
        assertTrue(budget.affords(1));
        assertFalse(budget.affords(40));
        assertTrue(budget.forWrite(8).remaining().compareTo(budget.forWrite(1).remaining()) < 0);
        assertTrue(budget.forUndo().remaining().compareTo(budget.forReadBack().remaining()) < 0);
        assertTrue(budget.forReadBack().remaining().compareTo(budget.forStateTag().remaining()) < 0);
    }

    @Test
    void theLedgerUndoesEverythingThatMayHaveLandedInTheOrderItWasWritten() {
        Ledger ledger = new Ledger();
        Change applied = change("applied");
        Change refused = change("refused");
        Change lost = change("lost");
        Change notSent = change("not sent");
        Change inFlight = change("in flight");
        ledger.applied(ledger.recordBefore(applied));
        ledger.failed(ledger.recordBefore(refused), new AwsCallException("x:Y", AwsCallException.Kind.PERMISSION_DENIED,
                "AccessDenied", "no", null));
        ledger.failed(ledger.recordBefore(lost), new AwsCallException("x:Y", AwsCallException.Kind.UNAVAILABLE, "",
                "no answer", null));
        ledger.failed(ledger.recordBefore(notSent), AwsCallException.notSent("x:Y", "no time"));
        ledger.recordBefore(inFlight);
        assertEquals(List.of(applied, lost, inFlight), ledger.toUndo());
        assertEquals(List.of(Ledger.Outcome.APPLIED, Ledger.Outcome.REFUSED, Ledger.Outcome.UNANSWERED,
                Ledger.Outcome.REFUSED, Ledger.Outcome.IN_FLIGHT), ledger.outcomes());
    }

    @Test
    void theWriterRecordsBeforeWritingStopsAtTheFirstFailureAndRethrowsAnError() {
        Budget budget = budget(Duration.ofSeconds(50));
        BoundedWriter writer = new BoundedWriter(budget);
        Ledger ledger = new Ledger();
        List<String> seenInLedger = new CopyOnWriteArrayList<>();
        List<Change> changes = List.of(
                new Change("first", d -> seenInLedger.add("size " + ledger.size()), d -> { }),
                new Change("fails", d -> {
                    throw new StackOverflowError("injected");
                }, d -> { }));
        assertThrows(StackOverflowError.class, () -> writer.apply(changes, ledger));
        assertEquals(2, ledger.size());
        assertTrue(seenInLedger.get(0).matches("size [12]"), "recorded before it ran: " + seenInLedger);
        List<BoundedWriter.Failure> failures = writer.undo(List.of(new Change("undo fails", d -> { }, d -> {
            throw new IllegalStateException("no");
        })));
        assertEquals(List.of(new BoundedWriter.Failure("undo fails", "no")), failures);
    }

    @Test
    void theWriterRefusesToStartAWriteWhoseRestoreWouldNotFit() {
        Budget budget = budget(Duration.ofMillis(500));
        Ledger ledger = new Ledger();
        OutOfTime e = assertThrows(OutOfTime.class,
                () -> new BoundedWriter(budget).apply(List.of(change("too late")), ledger));
        assertTrue(e.getMessage().contains("too late"), e.getMessage());
        assertTrue(ledger.isEmpty(), "a write that was not started is not in the ledger");
    }

    private static Change change(String what) {
        return new Change(what, d -> { }, d -> { });
    }
}

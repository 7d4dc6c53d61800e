package dev.ecsbluegreen.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The person at CodePipeline's manual approval action. Implementations may block (a prompt) and are used from
 * one thread.
 */
public interface Approver {
    /** @return true to approve; false to reject */
    boolean approve(String question);

    /** Approves everything without asking ({@code --yes}). */
    static Approver always() {
        return question -> true;
    }

    /**
     * Asks on {@code out} and reads one line from {@code in}: {@code y}/{@code yes} approves, anything else rejects.
     *
     * @throws IllegalStateException when {@code in} ends before an answer (no terminal): pass {@code --yes}
     */
    static Approver prompt(BufferedReader in, PrintStream out) {
        return question -> {
            out.print("     ? " + question + " [y/N] ");
            out.flush();
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (line == null) {
                out.println();
                throw new IllegalStateException("no answer to the approval (standard input ended): "
                        + "run with --yes to approve without asking");
            }
            if (!interactive()) {
                out.println(line); // nobody typed it, so no terminal echoed it
            }
            String answer = line.trim().toLowerCase(Locale.ROOT);
            return answer.equals("y") || answer.equals("yes");
        };
    }

    /** Whether standard input is a terminal ({@code Console.isTerminal()} where the JDK has it, 22+). */
    private static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: System.console() is null unless attached to a terminal
        }
    }
}

package dev.ecsbluegreen.controller;

import java.util.Locale;

/** The controller's steps of a release, and {@link #STATUS} which only reads. */
public enum Action {
    DEPLOY, PROMOTE, CLEANUP, ROLLBACK, STATUS;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws ConfigurationException for anything else than the five words */
    public static Action of(String word) {
        for (Action a : values()) {
            if (a.word().equals(word)) {
                return a;
            }
        }
        throw new ConfigurationException("unknown action \"" + word + "\": one of deploy, promote, cleanup, rollback, status");
    }
}

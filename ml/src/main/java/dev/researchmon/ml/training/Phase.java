package dev.researchmon.ml.training;

import java.util.Locale;

/** Which part of a training run a batch belongs to; the value of the {@code phase} label. */
public enum Phase {
    TRAIN,
    VALIDATION;

    /** The label value: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

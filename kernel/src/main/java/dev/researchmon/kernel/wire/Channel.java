package dev.researchmon.kernel.wire;

/** The kernel's sockets that carry messages (the heartbeat only echoes, so it is not one). */
public enum Channel {
    SHELL,
    CONTROL,
    STDIN,
    IOPUB
}

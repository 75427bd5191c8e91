package dev.researchmon.kernel.protocol.message;

import java.util.List;

/** The {@code error} message on iopub, and the error fields of a reply. */
public record ErrorContent(String ename, String evalue, List<String> traceback) {
    public ErrorContent {
        traceback = List.copyOf(traceback);
    }
}

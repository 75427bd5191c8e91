package dev.researchmon.kernel.protocol.message;

import java.util.List;

/** {@code kernel_info_reply}. */
public record KernelInfoReply(
        String status,
        String protocolVersion,
        String implementation,
        String implementationVersion,
        LanguageInfo languageInfo,
        String banner,
        boolean debugger,
        List<HelpLink> helpLinks) {

    /** The language part of kernel_info. */
    public record LanguageInfo(
            String name,
            String version,
            String mimetype,
            String fileExtension,
            String pygmentsLexer,
            String codemirrorMode) {}

    /** A link for the front end's help menu. */
    public record HelpLink(String text, String url) {}
}

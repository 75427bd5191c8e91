package dev.researchmon.magics.api;

/**
 * One magic command, line ({@code %name args}) or cell ({@code %%name args} followed by a body).
 *
 * <p>A magic declares what it accepts in its {@link MagicSignature}; its name, usage line,
 * {@code %lsmagic} entry and argument errors all come from there. Magics see the kernel only
 * through {@link MagicContext}; they are found with {@link java.util.ServiceLoader} through
 * {@link MagicProvider}. Example:
 * <pre>{@code
 * final class HelloMagic implements Magic {
 *   static final MagicSignature SIGNATURE = MagicSignature.line("hello", "greets NAME")
 *       .form(MagicSignature.form().one("NAME")).build();
 *   public MagicSignature signature() { return SIGNATURE; }
 *   public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
 *     return Display.text("hello " + SIGNATURE.parse(call).value("NAME"));
 *   }
 * }
 * }</pre>
 */
public interface Magic {

    /** What this magic accepts; declared once, parsed with {@link MagicSignature#parse}. */
    MagicSignature signature();

    /** The name typed after {@code %} or {@code %%}, without them. */
    default String name() {
        return signature().name();
    }

    /** How to call it, without "usage: ": {@code %monitoring on|off|status}. */
    default String usage() {
        return signature().usage();
    }

    /** One short line that says what it does, for {@code %lsmagic}. */
    default String description() {
        return signature().description();
    }

    /** Whether this is a cell magic ({@code %%name}); line magics are the default. */
    default boolean isCellMagic() {
        return signature().isCell();
    }

    /**
     * Runs the magic.
     *
     * @return what to show as the magic's result, or {@code null} for nothing
     * @throws MagicException with a message for the user; the kernel shows it without a stack trace
     */
    Display execute(MagicCall call, MagicContext ctx) throws MagicException;
}

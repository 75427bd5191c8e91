package dev.researchmon.kernel.startup;

/**
 * The one switch over the kernel's start-up speed work: the kernelspec's class archive (or Java 25's
 * AOT cache) and JIT policy, written by {@code install}, and the {@link IdleWarmUp} of JShell before
 * the first cell. {@code research-kernel install --no-startup-tuning} writes a kernelspec with none
 * of it (the JVM as it comes), for comparison and for ruling it out when something is wrong.
 *
 * <pre>{@code
 * if (StartupTuning.enabled()) { IdleWarmUp.start(java, () -> protocol.idleFor(IdleWarmUp.QUIET)); }
 * }</pre>
 */
public final class StartupTuning {
    /** The system property the kernelspec's options file sets to {@code off} when the tuning is off. */
    public static final String PROPERTY = "research.kernel.startup-tuning";
    /** The option that turns the tuning off in a kernelspec's options file. */
    public static final String OFF = "-D" + PROPERTY + "=off";

    private StartupTuning() {}

    /** Whether this kernel JVM does the run-time part of the tuning (the idle warm-up). */
    public static boolean enabled() {
        return !"off".equals(System.getProperty(PROPERTY));
    }
}

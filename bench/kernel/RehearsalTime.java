import dev.researchmon.kernel.eval.JShellRehearsal;
import dev.researchmon.kernel.protocol.ProtocolRehearsal;
import dev.researchmon.kernel.rehearsal.IdleTurns;

import java.time.Duration;

/**
 * How long the kernel's rehearsals at start take when nothing interrupts them: the protocol
 * rehearsal's round trips, then the JShell rehearsal's practice cells in steps of 50 (each step on
 * a fresh JShell, the first one's start included), in a fresh JVM. Pass the kernelspec's JVM options
 * to time them as a kernel runs them (the class archive options left out: they belong to the
 * kernel's own start):
 *
 * <pre>
 * java $(jq -r '.argv[1:-3][] | select(test("Shared|Xshare|cds") | not)' "$JUPYTER_DATA_DIR/kernels/java/kernel.json") \
 *      -cp kernel/target/research-kernel.jar bench/kernel/RehearsalTime.java 800 300
 * </pre>
 */
public class RehearsalTime {
    public static void main(String[] args) throws Exception {
        int protocolCells = Integer.parseInt(args[0]);
        int jshellCells = Integer.parseInt(args[1]);
        IdleTurns always = IdleTurns.within(Duration.ofMinutes(10), () -> true);
        long start = System.nanoTime();
        ProtocolRehearsal.rehearse(protocolCells, always);
        System.out.printf("protocol rehearsal, %d round trips: %d ms%n", protocolCells, millisSince(start));
        for (int done = 50; done <= jshellCells; done += 50) {
            long step = System.nanoTime();
            JShellRehearsal.rehearse(50, always);
            System.out.printf("JShell rehearsal, 50 more cells: %d ms (%d ms since start)%n",
                    millisSince(step), millisSince(start));
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}

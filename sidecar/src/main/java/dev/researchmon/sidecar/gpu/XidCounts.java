package dev.researchmon.sidecar.gpu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * XID events counted per GPU and code since the sidecar started: immutable, replaced whole by
 * {@link XidWatcher} on every event. The code label is bounded (codes above {@value #MAX_CODE} and
 * codes beyond {@value #MAX_CODES_PER_GPU} distinct ones per GPU count as {@value #OTHER}) so a
 * misbehaving driver cannot grow the series without limit.
 *
 * <pre>{@code
 * XidCounts counts = XidCounts.EMPTY.plus(new XidEvent(0, uuid, name, 79));
 * }</pre>
 */
public record XidCounts(List<Count> counts, List<Last> last) {
    /** The highest code given its own label; NVIDIA's documented codes stay far below it. */
    public static final long MAX_CODE = 1000;

    public static final int MAX_CODES_PER_GPU = 32;
    public static final String OTHER = "other";
    public static final XidCounts EMPTY = new XidCounts(List.of(), List.of());

    /** The labels a GPU's XID series carry. */
    public record Device(int gpu, String uuid, String name) {}

    /** How many events of one code (or {@value XidCounts#OTHER}) a GPU delivered. */
    public record Count(Device device, String xid, long value) {}

    /** The code of a GPU's latest event. */
    public record Last(Device device, long xid) {}

    public XidCounts {
        counts = List.copyOf(counts);
        last = List.copyOf(last);
    }

    /** These counts with one more event. */
    public XidCounts plus(XidEvent event) {
        Device device = new Device(event.gpu(), event.uuid(), event.name());
        String label = label(device, event.xid());
        List<Count> nextCounts = new ArrayList<>();
        boolean found = false;
        for (Count c : counts) {
            if (c.device().equals(device) && c.xid().equals(label)) {
                nextCounts.add(new Count(device, label, c.value() + 1));
                found = true;
            } else {
                nextCounts.add(c);
            }
        }
        if (!found) {
            nextCounts.add(new Count(device, label, 1));
            nextCounts.sort(Comparator.comparingInt((Count c) -> c.device().gpu())
                    .thenComparing(c -> c.device().uuid())
                    .thenComparing(Count::xid));
        }
        List<Last> nextLast = new ArrayList<>();
        for (Last l : last) {
            if (!l.device().equals(device)) {
                nextLast.add(l);
            }
        }
        nextLast.add(new Last(device, event.xid()));
        nextLast.sort(Comparator.comparingInt((Last l) -> l.device().gpu())
                .thenComparing(l -> l.device().uuid()));
        return new XidCounts(nextCounts, nextLast);
    }

    private String label(Device device, long xid) {
        if (xid < 0 || xid > MAX_CODE) {
            return OTHER;
        }
        String code = Long.toString(xid);
        long distinct = 0;
        for (Count c : counts) {
            if (c.device().equals(device) && !c.xid().equals(OTHER)) {
                if (c.xid().equals(code)) {
                    return code;
                }
                distinct++;
            }
        }
        return distinct < MAX_CODES_PER_GPU ? code : OTHER;
    }
}

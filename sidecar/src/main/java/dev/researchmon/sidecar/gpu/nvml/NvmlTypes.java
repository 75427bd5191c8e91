package dev.researchmon.sidecar.gpu.nvml;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * nvml.h's return codes and the structures the sidecar passes, with their real layouts (LP64).
 * Structures passed once in a while are JNA {@code Structure}s; arrays the pass fills on every GPU
 * are {@link StructArray}s, native blocks read by offset and reused from pass to pass.
 *
 * <pre>{@code
 * NvmlTypes.ProcessInfos infos = new NvmlTypes.ProcessInfos(16);
 * int[] count = {infos.capacity()};
 * nvml.nvmlDeviceGetComputeRunningProcesses_v3(device, count, infos.pointer());
 * long pid = infos.pid(0);
 * }</pre>
 */
public final class NvmlTypes {
    public static final int SUCCESS = 0;
    public static final int ERROR_NOT_FOUND = 6;
    public static final int ERROR_INSUFFICIENT_SIZE = 7;
    /** A wait that saw no event. */
    public static final int ERROR_TIMEOUT = 10;
    /** nvmlEventTypeXidCriticalError: the event type whose eventData is the XID code. */
    public static final long EVENT_TYPE_XID_CRITICAL_ERROR = 0x8L;
    /** NVML_VALUE_NOT_AVAILABLE for unsigned long long fields (e.g. memory of a process). */
    public static final long VALUE_NOT_AVAILABLE = -1L;
    /** NVML_DEVICE_NAME_V2_BUFFER_SIZE and _UUID_V2_: room for any string the sidecar asks for. */
    public static final int STRING_BUFFER = 96;

    private NvmlTypes() {}

    /** unsigned long long as a double, exact up to 2^53 and correctly rounded above. */
    public static double unsigned(long value) {
        return value >= 0 ? value : (value >>> 1) * 2.0 + (value & 1);
    }

    /** nvmlGpmSupport_t: version in (NVML_GPM_SUPPORT_VERSION), support out. */
    @Structure.FieldOrder({"version", "isSupportedDevice"})
    public static class GpmSupport extends Structure {
        public int version;
        public int isSupportedDevice;
    }

    /** nvmlEventData_t: the device handle, the event type, its data (the XID) and MIG instance ids. */
    @Structure.FieldOrder({"device", "eventType", "eventData", "gpuInstanceId", "computeInstanceId"})
    public static class EventData extends Structure {
        public Pointer device;
        public long eventType;
        public long eventData;
        public int gpuInstanceId;
        public int computeInstanceId;
    }

    /**
     * Elements of one nvml.h struct laid out back to back in native memory, read and written by
     * offset. The pass reuses one block per kind from pass to pass: a JNA {@code Structure} per
     * element costs reflection on each read, and its allocation a native malloc with a cleaner.
     */
    public abstract static class StructArray {
        private final int elementSize;
        private Memory memory;
        private int capacity;

        StructArray(int elementSize, int capacity) {
            this.elementSize = elementSize;
            ensureCapacity(capacity);
        }

        /** Room for at least {@code n} elements; what was there before is lost when it grows. */
        public final void ensureCapacity(int n) {
            if (memory == null || n > capacity) {
                capacity = Math.max(n, 1);
                memory = new Memory((long) capacity * elementSize);
                memory.clear();
            }
        }

        public final int capacity() {
            return capacity;
        }

        /** The first element, to pass to NVML. */
        public final Pointer pointer() {
            return memory;
        }

        final int getInt(int index, int offset) {
            return memory.getInt((long) index * elementSize + offset);
        }

        final long getLong(int index, int offset) {
            return memory.getLong((long) index * elementSize + offset);
        }

        final void setInt(int index, int offset, int value) {
            memory.setInt((long) index * elementSize + offset, value);
        }
    }

    /** nvmlProcessInfo_t (v2 layout, used by the _v3 call): {pid, usedGpuMemory, gpuInstanceId, computeInstanceId}. */
    public static final class ProcessInfos extends StructArray {
        public ProcessInfos(int capacity) {
            super(24, capacity);
        }

        public long pid(int i) {
            return Integer.toUnsignedLong(getInt(i, 0));
        }

        /** Bytes, or {@link #VALUE_NOT_AVAILABLE}. */
        public long usedGpuMemory(int i) {
            return getLong(i, 8);
        }

        /** The MIG GPU instance, or -1 (UINT_MAX) outside MIG. */
        public int gpuInstanceId(int i) {
            return getInt(i, 16);
        }
    }

    /**
     * nvmlProcessUtilizationSample_t: {pid, timeStamp (microseconds), smUtil, memUtil, encUtil,
     * decUtil}, percentages over NVML's sample period.
     */
    public static final class ProcessUtilizationSamples extends StructArray {
        public ProcessUtilizationSamples(int capacity) {
            super(32, capacity);
        }

        public long pid(int i) {
            return Integer.toUnsignedLong(getInt(i, 0));
        }

        public long timeStamp(int i) {
            return getLong(i, 8);
        }

        public long smUtil(int i) {
            return Integer.toUnsignedLong(getInt(i, 16));
        }

        public long memUtil(int i) {
            return Integer.toUnsignedLong(getInt(i, 20));
        }
    }

    /**
     * nvmlFieldValue_t: {fieldId, scopeId, timestamp, latencyUsec, valueType, nvmlReturn, value}, the
     * caller setting the first two and NVML the rest; {@code value} is the nvmlValue_t union, read as
     * {@code valueType} says.
     */
    public static final class FieldValues extends StructArray {
        public FieldValues(int capacity) {
            super(40, capacity);
        }

        public void request(int i, int fieldId, int scopeId) {
            setInt(i, 0, fieldId);
            setInt(i, 4, scopeId);
        }

        public int nvmlReturn(int i) {
            return getInt(i, 28);
        }

        /** The union as a number: NVML_VALUE_TYPE_DOUBLE 0, UNSIGNED_INT 1, UNSIGNED_LONG(_LONG) 2/3, SIGNED_LONG_LONG 4, SIGNED_INT 5. */
        public double number(int i) {
            long value = getLong(i, 32);
            return switch (getInt(i, 24)) {
                case 0 -> Double.longBitsToDouble(value);
                case 1 -> Integer.toUnsignedLong((int) value);
                case 2, 3 -> unsigned(value);
                case 4 -> value;
                case 5 -> (int) value;
                default -> Double.NaN;
            };
        }
    }
}

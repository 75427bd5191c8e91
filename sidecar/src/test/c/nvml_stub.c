/*
 * A stand-in for libnvidia-ml.so.1 with the real NVML entry points and struct layouts (nvml.h),
 * so the sidecar's JNA binding is exercised exactly as against a driver. Configured by environment
 * variables, read at nvmlInit_v2, so one build serves every test case:
 *
 *   STUB_NVML_INIT=<code>          nvmlInit_v2's return code (default 0; 9 = driver not loaded)
 *   STUB_NVML_GPUS=<n>             number of GPUs (default 1, at most 64)
 *   STUB_NVML_UNSUPPORTED=<list>   "gpu:field,..." answered NOT_SUPPORTED (3); fields: utilization,
 *                                  memory, temperature, power, power_limit, energy, clocks, fan,
 *                                  pcie, ecc, throttle, processes, events
 *   STUB_NVML_MEMORY_TOTAL=<bytes> total memory of every GPU (default 80 GiB, above 32 bits)
 *   STUB_NVML_PROCESSES=<list>     "gpu:pid:bytes,..." compute processes
 *   STUB_NVML_DELAY_MS=<ms>        every nvmlDeviceGetUtilizationRates call sleeps this long
 *                                  (a stuck driver call)
 *   STUB_NVML_XID=<list>           "gpu:xid,..." XID critical-error events, each delivered once, in
 *                                  order, by nvmlEventSetWait_v2 to a set the GPU is registered in;
 *                                  then waits sleep min(timeout, 50 ms) and return TIMEOUT (10).
 *                                  "gpu:events" in STUB_NVML_UNSUPPORTED makes that GPU's
 *                                  nvmlDeviceRegisterEvents answer NOT_SUPPORTED.
 *
 *   STUB_NVML_PROCESS_UTIL=<list>  "gpu:pid:sm:mem,..." per-process utilization samples (percent),
 *                                  each stamped with the time of the nvmlDeviceGetProcessUtilization
 *                                  call (so every call sees fresh activity); a GPU with none
 *                                  answers NOT_FOUND, as the driver does for an idle GPU.
 *                                  "gpu:process_util" in STUB_NVML_UNSUPPORTED: NOT_SUPPORTED.
 *   STUB_NVML_SAMPLE_MS=<ms>       per-process utilization as the driver keeps it: one sample per
 *                                  process every <ms> since nvmlInit_v2, in a ring of the newest 16,
 *                                  each with its own time stamp; a call returns those newer than
 *                                  lastSeenTimeStamp. The k-th sample's SM value alternates around
 *                                  the configured one (sm+5, sm-5, ...; their mean is sm), so a
 *                                  reader that takes one sample instead of all of them is seen.
 *   STUB_NVML_ENERGY_GROWS=1       the energy counter grows as the board's power draw (250+i W)
 *                                  integrated since nvmlInit_v2, as a driver's does; otherwise it
 *                                  stays at its fixed value.
 *   STUB_NVML_MIG=<list>           "gpu:gi:profile:MiB,..." puts the GPU in MIG mode with these GPU
 *                                  instances (id gi, e.g. profile 1g.10gb, MiB of memory); a
 *                                  process's 4th field in STUB_NVML_PROCESSES ("gpu:pid:bytes:gi")
 *                                  places it in an instance.
 *
 * GPM (GPU Performance Monitoring, Hopper and later) is supported by every GPU unless
 * "gpu:gpm" is in STUB_NVML_UNSUPPORTED (nvmlGpmQueryDeviceSupport then says isSupportedDevice 0
 * and sampling answers NOT_SUPPORTED); "gpu:gpm<id>" marks one metric id unsupported in
 * nvmlGpmMetricsGet. Built with -DSTUB_NVML_NO_GPM the library has no GPM symbols at all, like a
 * driver older than R520. Metric values (percent) between two samples of GPU i: SM_UTIL 40+i,
 * SM_OCCUPANCY 30+i, ANY_TENSOR 20+i, DRAM_BW 60+i, FP64 1+i, FP32 10+i, FP16 5+i; of a MIG GPU
 * instance gi, the same plus gi. Other per-GPU values: PCIe replay counter 3+i; field values
 * memory temperature (NVML_FI_DEV_MEMORY_TEMP) 70+i C and NVLink data TX/RX (scope UINT_MAX, all
 * links) 1000000+i and 2000000+i KiB; "gpu:pcie_replay", "gpu:memory_temperature" and
 * "gpu:nvlink" in STUB_NVML_UNSUPPORTED take them away.
 *
 * The same KEY=VALUE lines may also sit in a file next to the library, named like it plus ".env"
 * (e.g. /tmp/case1/libnvidia-ml.so.1.env), so tests in one JVM can load differently configured
 * copies by path; an environment variable wins over the file.
 *
 * Values are a function of the GPU index i so tests can predict them: utilization 50+i %, memory
 * utilization 20+i %, used 40 GiB + i MiB, temperature 60+i C, power 250+i W (limit 700 W), energy
 * 123456789000+i mJ, SM clock 1980 MHz, memory clock 2619 MHz, fan 30+i %, PCIe TX 1000+i and RX
 * 2000+i KB/s, ECC corrected 5+i and uncorrected 0, throttle reasons 0x5 (idle, SW power cap).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int nvmlReturn_t;
#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_TIMEOUT 10
#define NVML_ERROR_ARGUMENT_VERSION_MISMATCH 25
#define NVML_EVENT_TYPE_XID_CRITICAL_ERROR 0x0000000000000008ULL

typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total; unsigned long long free; unsigned long long used; } nvmlMemory_t;
typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
} nvmlProcessInfo_t;

#define MAX_GPUS 64
#define MAX_PROCS 256
#define MAX_MIG 7 /* GPU instances a GPU can hold (A100/H100: 7) */

/* A physical GPU (mig 0) or the mig-th MIG device of GPU index (1-based). */
typedef struct { int index; int mig; } stub_device;
typedef stub_device *nvmlDevice_t;

static stub_device devices[MAX_GPUS];
static stub_device mig_devices[MAX_GPUS][MAX_MIG];
static int initialized = 0; /* nvmlInit_v2 calls not yet shut down */
static unsigned int gpu_count = 1;
static unsigned long long memory_total = 85899345920ULL;
static char unsupported[4096];
static struct {
  unsigned int gpu;
  unsigned int pid;
  unsigned long long bytes;
  unsigned int gpu_instance; /* 0xFFFFFFFF outside MIG */
} procs[MAX_PROCS];
static unsigned int proc_count = 0;
static struct { unsigned int gpu; unsigned int pid; unsigned int sm; unsigned int mem; } putil[MAX_PROCS];
static unsigned int putil_count = 0;
static struct { unsigned int gpu; unsigned int gi; char profile[32]; unsigned long long mib; } migs[MAX_GPUS * MAX_MIG];
static unsigned int mig_count = 0;
static long delay_ms = 0;
static long sample_ms = 0;      /* STUB_NVML_SAMPLE_MS; 0: one sample per call, stamped now */
static int energy_grows = 0;    /* STUB_NVML_ENERGY_GROWS */
static unsigned long long init_micros = 0;
#define SAMPLE_RING 16
static unsigned long long now_micros(void);

#define MAX_XIDS 256
#define MAX_WAIT_MS 50
static struct { unsigned int gpu; unsigned long long xid; } xids[MAX_XIDS];
static unsigned int xid_count = 0;
static unsigned int xid_next = 0;

/* nvml.h's nvmlEventData_t. */
typedef struct {
  nvmlDevice_t device;
  unsigned long long eventType;
  unsigned long long eventData;
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
} nvmlEventData_t;

/* An opaque set to callers; here just which GPUs registered for XID events. */
typedef struct { int registered[MAX_GPUS]; } stub_event_set;
typedef stub_event_set *nvmlEventSet_t;

static int is_unsupported(int gpu, const char *field) {
  char needle[64];
  snprintf(needle, sizeof needle, ",%d:%s,", gpu, field);
  return strstr(unsupported, needle) != NULL;
}

static nvmlReturn_t check(nvmlDevice_t device, void *out, const char *field) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (device == NULL || out == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (is_unsupported(device->index, field)) return NVML_ERROR_NOT_SUPPORTED;
  return NVML_SUCCESS;
}

static void read_processes(const char *spec) {
  proc_count = 0;
  if (spec == NULL) return;
  char *copy = strdup(spec);
  for (char *item = strtok(copy, ","); item && proc_count < MAX_PROCS; item = strtok(NULL, ",")) {
    unsigned int gpu, pid;
    unsigned long long bytes;
    unsigned int gi = 0xFFFFFFFFu;
    int n = sscanf(item, "%u:%u:%llu:%u", &gpu, &pid, &bytes, &gi);
    if (n >= 3) {
      procs[proc_count].gpu = gpu;
      procs[proc_count].pid = pid;
      procs[proc_count].bytes = bytes;
      procs[proc_count].gpu_instance = n == 4 ? gi : 0xFFFFFFFFu;
      proc_count++;
    }
  }
  free(copy);
}

static void read_process_util(const char *spec) {
  putil_count = 0;
  if (spec == NULL) return;
  char *copy = strdup(spec);
  char *save = NULL;
  for (char *item = strtok_r(copy, ",", &save); item && putil_count < MAX_PROCS;
       item = strtok_r(NULL, ",", &save)) {
    unsigned int gpu, pid, sm, mem;
    if (sscanf(item, "%u:%u:%u:%u", &gpu, &pid, &sm, &mem) == 4) {
      putil[putil_count].gpu = gpu;
      putil[putil_count].pid = pid;
      putil[putil_count].sm = sm;
      putil[putil_count].mem = mem;
      putil_count++;
    }
  }
  free(copy);
}

static void read_migs(const char *spec) {
  mig_count = 0;
  if (spec == NULL) return;
  char *copy = strdup(spec);
  char *save = NULL;
  for (char *item = strtok_r(copy, ",", &save); item && mig_count < MAX_GPUS * MAX_MIG;
       item = strtok_r(NULL, ",", &save)) {
    unsigned int gpu, gi;
    char profile[32];
    unsigned long long mib;
    if (sscanf(item, "%u:%u:%31[^:]:%llu", &gpu, &gi, profile, &mib) == 4) {
      migs[mig_count].gpu = gpu;
      migs[mig_count].gi = gi;
      snprintf(migs[mig_count].profile, sizeof migs[mig_count].profile, "%s", profile);
      migs[mig_count].mib = mib;
      mig_count++;
    }
  }
  free(copy);
}

/* The k-th configured instance of a GPU (0-based), or -1. */
static int mig_entry(int gpu, int k) {
  for (unsigned int i = 0; i < mig_count; i++) {
    if (migs[i].gpu == (unsigned int) gpu && k-- == 0) return (int) i;
  }
  return -1;
}

static void read_xids(const char *spec) {
  xid_count = 0;
  xid_next = 0;
  if (spec == NULL) return;
  char *copy = strdup(spec);
  char *save = NULL;
  for (char *item = strtok_r(copy, ",", &save); item && xid_count < MAX_XIDS;
       item = strtok_r(NULL, ",", &save)) {
    unsigned int gpu;
    unsigned long long xid;
    if (sscanf(item, "%u:%llu", &gpu, &xid) == 2) {
      xids[xid_count].gpu = gpu;
      xids[xid_count].xid = xid;
      xid_count++;
    }
  }
  free(copy);
}

static char file_config[8192];

/* Reads "<this library's path>.env" into file_config, one KEY=VALUE a line. */
static void read_config_file(void) {
  file_config[0] = '\0';
  Dl_info info;
  if (dladdr((void *) &read_config_file, &info) == 0 || info.dli_fname == NULL) return;
  char path[4096];
  snprintf(path, sizeof path, "%s.env", info.dli_fname);
  FILE *f = fopen(path, "r");
  if (f == NULL) return;
  size_t n = fread(file_config, 1, sizeof file_config - 1, f);
  file_config[n] = '\0';
  fclose(f);
}

static char config_value[4096];

/* The environment's value for key, else the config file's, else NULL. */
static const char *config(const char *key) {
  const char *env = getenv(key);
  if (env != NULL) return env;
  size_t klen = strlen(key);
  for (const char *line = file_config; *line; ) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t) (end - line) : strlen(line);
    if (len > klen && strncmp(line, key, klen) == 0 && line[klen] == '=') {
      size_t vlen = len - klen - 1;
      if (vlen >= sizeof config_value) vlen = sizeof config_value - 1;
      memcpy(config_value, line + klen + 1, vlen);
      config_value[vlen] = '\0';
      return config_value;
    }
    line = end ? end + 1 : line + len;
  }
  return NULL;
}

/* The sidecar's refresher and XID event threads initialise concurrently, as the real (thread-safe)
   library allows; the configuration parsing below shares static buffers. */
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static nvmlReturn_t init_locked(void);

nvmlReturn_t nvmlInit_v2(void) {
  pthread_mutex_lock(&init_lock);
  nvmlReturn_t rc = init_locked();
  pthread_mutex_unlock(&init_lock);
  return rc;
}

static nvmlReturn_t init_locked(void) {
  /* Reference-counted like the real library: a second user (the XID event thread) must not reset
     the first one's state, nor have the configured events delivered again. */
  if (initialized) {
    initialized++;
    return NVML_SUCCESS;
  }
  read_config_file();
  const char *code = config("STUB_NVML_INIT");
  if (code != NULL && atoi(code) != 0) return atoi(code);
  const char *n = config("STUB_NVML_GPUS");
  gpu_count = n ? (unsigned int) atoi(n) : 1;
  if (gpu_count > MAX_GPUS) gpu_count = MAX_GPUS;
  const char *total = config("STUB_NVML_MEMORY_TOTAL");
  memory_total = total ? strtoull(total, NULL, 10) : 85899345920ULL;
  const char *u = config("STUB_NVML_UNSUPPORTED");
  snprintf(unsupported, sizeof unsupported, ",%s,", u ? u : "");
  read_processes(config("STUB_NVML_PROCESSES"));
  read_xids(config("STUB_NVML_XID"));
  read_process_util(config("STUB_NVML_PROCESS_UTIL"));
  read_migs(config("STUB_NVML_MIG"));
  const char *d = config("STUB_NVML_DELAY_MS");
  delay_ms = d ? atol(d) : 0;
  const char *sm = config("STUB_NVML_SAMPLE_MS");
  sample_ms = sm ? atol(sm) : 0;
  const char *eg = config("STUB_NVML_ENERGY_GROWS");
  energy_grows = eg != NULL && atoi(eg) != 0;
  init_micros = now_micros();
  for (int i = 0; i < MAX_GPUS; i++) {
    devices[i].index = i;
    devices[i].mig = 0;
    for (int k = 0; k < MAX_MIG; k++) {
      mig_devices[i][k].index = i;
      mig_devices[i][k].mig = k + 1;
    }
  }
  initialized = 1;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) {
  pthread_mutex_lock(&init_lock);
  nvmlReturn_t rc = NVML_ERROR_UNINITIALIZED;
  if (initialized) {
    initialized--;
    rc = NVML_SUCCESS;
  }
  pthread_mutex_unlock(&init_lock);
  return rc;
}

const char *nvmlErrorString(nvmlReturn_t result) {
  switch (result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_NOT_FOUND: return "Not Found";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    case NVML_ERROR_TIMEOUT: return "Timeout";
    default: return "Unknown Error";
  }
}

static nvmlReturn_t copy_string(const char *value, char *out, unsigned int length) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (out == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (strlen(value) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
  strcpy(out, value);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
  return copy_string("550.54.15", version, length);
}

nvmlReturn_t nvmlSystemGetNVMLVersion(char *version, unsigned int length) {
  return copy_string("12.550.54.15", version, length);
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *count = gpu_count;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (device == NULL || index >= gpu_count) return NVML_ERROR_INVALID_ARGUMENT;
  *device = &devices[index];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
  if (device == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  char value[96];
  int e = device->mig ? mig_entry(device->index, device->mig - 1) : -1;
  if (e >= 0) snprintf(value, sizeof value, "Stub GPU %d MIG %s", device->index, migs[e].profile);
  else snprintf(value, sizeof value, "Stub GPU %d", device->index);
  return copy_string(value, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
  if (device == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  char value[80];
  if (device->mig) snprintf(value, sizeof value, "MIG-00000000-0000-0000-%04d-%012d", device->mig, device->index);
  else snprintf(value, sizeof value, "GPU-00000000-0000-0000-0000-%012d", device->index);
  return copy_string(value, uuid, length);
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
  if (delay_ms > 0) {
    struct timespec t = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
  }
  nvmlReturn_t r = check(device, utilization, "utilization");
  if (r != NVML_SUCCESS) return r;
  utilization->gpu = 50 + device->index;
  utilization->memory = 20 + device->index;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
  nvmlReturn_t r = check(device, memory, "memory");
  if (r != NVML_SUCCESS) return r;
  if (device->mig) {
    int e = mig_entry(device->index, device->mig - 1);
    if (e < 0) return NVML_ERROR_INVALID_ARGUMENT;
    memory->total = migs[e].mib * 1048576ULL;
    memory->used = memory->total / 4;
    memory->free = memory->total - memory->used;
    return NVML_SUCCESS;
  }
  memory->total = memory_total;
  memory->used = 42949672960ULL + (unsigned long long) device->index * 1048576ULL;
  if (memory->used > memory->total) memory->used = memory->total;
  memory->free = memory->total - memory->used;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensorType, unsigned int *temp) {
  nvmlReturn_t r = check(device, temp, "temperature");
  if (r != NVML_SUCCESS) return r;
  if (sensorType != 0) return NVML_ERROR_INVALID_ARGUMENT;
  *temp = 60 + device->index;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power) {
  nvmlReturn_t r = check(device, power, "power");
  if (r != NVML_SUCCESS) return r;
  *power = 250000 + 1000 * device->index;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int *limit) {
  nvmlReturn_t r = check(device, limit, "power_limit");
  if (r != NVML_SUCCESS) return r;
  *limit = 700000;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy) {
  nvmlReturn_t r = check(device, energy, "energy");
  if (r != NVML_SUCCESS) return r;
  *energy = 123456789000ULL + device->index;
  if (energy_grows) {
    /* mJ = W * ms: the power draw nvmlDeviceGetPowerUsage reports, held since nvmlInit_v2 */
    unsigned long long elapsed_ms = (now_micros() - init_micros) / 1000ULL;
    *energy += (250ULL + (unsigned long long) device->index) * elapsed_ms;
  }
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, unsigned int *clock) {
  nvmlReturn_t r = check(device, clock, "clocks");
  if (r != NVML_SUCCESS) return r;
  switch (type) {
    case 1: *clock = 1980; return NVML_SUCCESS; /* NVML_CLOCK_SM */
    case 2: *clock = 2619; return NVML_SUCCESS; /* NVML_CLOCK_MEM */
    default: return NVML_ERROR_NOT_SUPPORTED;
  }
}

nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t device, unsigned int *speed) {
  nvmlReturn_t r = check(device, speed, "fan");
  if (r != NVML_SUCCESS) return r;
  *speed = 30 + device->index;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t device, int counter, unsigned int *value) {
  nvmlReturn_t r = check(device, value, "pcie");
  if (r != NVML_SUCCESS) return r;
  if (counter == 0) *value = 1000 + device->index;      /* NVML_PCIE_UTIL_TX_BYTES */
  else if (counter == 1) *value = 2000 + device->index; /* NVML_PCIE_UTIL_RX_BYTES */
  else return NVML_ERROR_INVALID_ARGUMENT;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t device, int errorType, int counterType,
                                         unsigned long long *eccCounts) {
  nvmlReturn_t r = check(device, eccCounts, "ecc");
  if (r != NVML_SUCCESS) return r;
  if (counterType != 0 && counterType != 1) return NVML_ERROR_INVALID_ARGUMENT;
  *eccCounts = errorType == 0 ? 5 + (unsigned long long) device->index : 0;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t device,
                                                       unsigned long long *reasons) {
  nvmlReturn_t r = check(device, reasons, "throttle");
  if (r != NVML_SUCCESS) return r;
  *reasons = 0x5ULL;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *infoCount,
                                                     nvmlProcessInfo_t *infos) {
  nvmlReturn_t r = check(device, infoCount, "processes");
  if (r != NVML_SUCCESS) return r;
  unsigned int mine = 0;
  for (unsigned int i = 0; i < proc_count; i++) {
    if (procs[i].gpu == (unsigned int) device->index) mine++;
  }
  if (*infoCount < mine || (infos == NULL && mine > 0)) {
    *infoCount = mine;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  unsigned int k = 0;
  for (unsigned int i = 0; i < proc_count; i++) {
    if (procs[i].gpu != (unsigned int) device->index) continue;
    infos[k].pid = procs[i].pid;
    infos[k].usedGpuMemory = procs[i].bytes;
    infos[k].gpuInstanceId = procs[i].gpu_instance;
    infos[k].computeInstanceId = procs[i].gpu_instance == 0xFFFFFFFFu ? 0xFFFFFFFFu : 0;
    k++;
  }
  *infoCount = mine;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (set == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *set = calloc(1, sizeof(stub_event_set));
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t device, unsigned long long eventTypes,
                                      nvmlEventSet_t set) {
  nvmlReturn_t rc = check(device, set, "events");
  if (rc != NVML_SUCCESS) return rc;
  if (eventTypes & NVML_EVENT_TYPE_XID_CRITICAL_ERROR) set->registered[device->index] = 1;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (set == NULL || data == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  while (xid_next < xid_count) {
    unsigned int gpu = xids[xid_next].gpu;
    unsigned long long xid = xids[xid_next].xid;
    xid_next++;
    /* Events of GPUs outside the set are dropped, as the driver never queues them for it. */
    if (gpu < gpu_count && set->registered[gpu]) {
      data->device = &devices[gpu];
      data->eventType = NVML_EVENT_TYPE_XID_CRITICAL_ERROR;
      data->eventData = xid;
      data->gpuInstanceId = 0xFFFFFFFFu;
      data->computeInstanceId = 0xFFFFFFFFu;
      return NVML_SUCCESS;
    }
  }
  /* Capped so a test's waiting thread notices a stop quickly. */
  unsigned int ms = timeoutms < MAX_WAIT_MS ? timeoutms : MAX_WAIT_MS;
  struct timespec pause = { ms / 1000, (long) (ms % 1000) * 1000000L };
  nanosleep(&pause, NULL);
  return NVML_ERROR_TIMEOUT;
}

nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (set == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  free(set);
  return NVML_SUCCESS;
}

/* ---- per-process utilization ---- */

/* nvml.h's nvmlProcessUtilizationSample_t. */
typedef struct {
  unsigned int pid;
  unsigned long long timeStamp; /* CPU time stamp, microseconds */
  unsigned int smUtil;
  unsigned int memUtil;
  unsigned int encUtil;
  unsigned int decUtil;
} nvmlProcessUtilizationSample_t;

static unsigned long long now_micros(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (unsigned long long) t.tv_sec * 1000000ULL + (unsigned long long) t.tv_nsec / 1000ULL;
}

/* Size query as in nvml.h: with utilization NULL, or a count too small, *processSamplesCount
   becomes the number needed and the answer is INSUFFICIENT_SIZE. */
/* The samples of the ring newer than lastSeen: tick k of a process is stamped
   init + k * sample_ms; only the newest SAMPLE_RING ticks are kept, as the driver's buffer is. */
static unsigned int ring_ticks(unsigned long long stamp, unsigned long long lastSeen,
                               unsigned long long *first) {
  unsigned long long period = (unsigned long long) sample_ms * 1000ULL;
  unsigned long long newest = (stamp - init_micros) / period;
  unsigned long long oldest = newest >= SAMPLE_RING ? newest - SAMPLE_RING + 1 : 1;
  if (lastSeen >= init_micros) {
    unsigned long long after = (lastSeen - init_micros) / period + 1;
    if (after > oldest) oldest = after;
  }
  *first = oldest;
  return newest >= oldest ? (unsigned int) (newest - oldest + 1) : 0;
}

nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t device,
                                             nvmlProcessUtilizationSample_t *utilization,
                                             unsigned int *processSamplesCount,
                                             unsigned long long lastSeenTimeStamp) {
  nvmlReturn_t r = check(device, processSamplesCount, "process_util");
  if (r != NVML_SUCCESS) return r;
  if (device->mig || mig_entry(device->index, 0) >= 0) return NVML_ERROR_NOT_SUPPORTED; /* as in MIG mode */
  unsigned long long stamp = now_micros();
  unsigned long long first_tick = 0;
  unsigned int ticks = sample_ms > 0 ? ring_ticks(stamp, lastSeenTimeStamp, &first_tick)
                                     : (stamp > lastSeenTimeStamp ? 1 : 0);
  unsigned int mine = 0;
  for (unsigned int i = 0; i < putil_count; i++) {
    if (putil[i].gpu == (unsigned int) device->index) mine += ticks;
  }
  if (mine == 0) {
    *processSamplesCount = 0;
    return NVML_ERROR_NOT_FOUND;
  }
  if (utilization == NULL || *processSamplesCount < mine) {
    *processSamplesCount = mine;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  unsigned int k = 0;
  for (unsigned int i = 0; i < putil_count; i++) {
    if (putil[i].gpu != (unsigned int) device->index) continue;
    for (unsigned int t = 0; t < ticks; t++) {
      unsigned int sm = putil[i].sm;
      unsigned long long when = stamp;
      if (sample_ms > 0) {
        unsigned long long tick = first_tick + t;
        when = init_micros + tick * (unsigned long long) sample_ms * 1000ULL;
        sm = tick % 2 ? sm + 5 : (sm >= 5 ? sm - 5 : 0);
      }
      utilization[k].pid = putil[i].pid;
      utilization[k].timeStamp = when;
      utilization[k].smUtil = sm;
      utilization[k].memUtil = putil[i].mem;
      utilization[k].encUtil = 0;
      utilization[k].decUtil = 0;
      k++;
    }
  }
  *processSamplesCount = k;
  return NVML_SUCCESS;
}

/* ---- MIG ---- */

nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *currentMode, unsigned int *pendingMode) {
  nvmlReturn_t r = check(device, currentMode, "mig");
  if (r != NVML_SUCCESS) return r;
  if (pendingMode == NULL || device->mig) return NVML_ERROR_INVALID_ARGUMENT;
  *currentMode = mig_entry(device->index, 0) >= 0 ? 1 : 0; /* NVML_DEVICE_MIG_ENABLE */
  *pendingMode = *currentMode;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device, unsigned int *count) {
  nvmlReturn_t r = check(device, count, "mig");
  if (r != NVML_SUCCESS) return r;
  *count = MAX_MIG;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device, unsigned int index, nvmlDevice_t *migDevice) {
  nvmlReturn_t r = check(device, migDevice, "mig");
  if (r != NVML_SUCCESS) return r;
  if (device->mig || index >= MAX_MIG) return NVML_ERROR_INVALID_ARGUMENT;
  if (mig_entry(device->index, 0) < 0) return NVML_ERROR_NOT_SUPPORTED; /* not in MIG mode */
  if (mig_entry(device->index, (int) index) < 0) return NVML_ERROR_NOT_FOUND; /* an empty slot */
  *migDevice = &mig_devices[device->index][index];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t device, unsigned int *id) {
  nvmlReturn_t r = check(device, id, "mig");
  if (r != NVML_SUCCESS) return r;
  if (!device->mig) return NVML_ERROR_NOT_SUPPORTED;
  *id = migs[mig_entry(device->index, device->mig - 1)].gi;
  return NVML_SUCCESS;
}

/* ---- PCIe replays, field values (memory temperature, NVLink) ---- */

nvmlReturn_t nvmlDeviceGetPcieReplayCounter(nvmlDevice_t device, unsigned int *value) {
  nvmlReturn_t r = check(device, value, "pcie_replay");
  if (r != NVML_SUCCESS) return r;
  *value = 3 + device->index;
  return NVML_SUCCESS;
}

typedef union {
  double dVal;
  unsigned int uiVal;
  unsigned long ulVal;
  unsigned long long ullVal;
  signed long long sllVal;
  signed int siVal;
} nvmlValue_t;

/* nvml.h's nvmlFieldValue_t. */
typedef struct {
  unsigned int fieldId;
  unsigned int scopeId;
  long long timestamp;
  long long latencyUsec;
  int valueType; /* nvmlValueType_t */
  nvmlReturn_t nvmlReturn;
  nvmlValue_t value;
} nvmlFieldValue_t;

#define NVML_FI_DEV_MEMORY_TEMP 82
#define NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX 138
#define NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX 139
#define NVML_VALUE_TYPE_UNSIGNED_INT 1
#define NVML_VALUE_TYPE_UNSIGNED_LONG_LONG 3

nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t device, int valuesCount, nvmlFieldValue_t *values) {
  nvmlReturn_t r = check(device, values, "fields");
  if (r != NVML_SUCCESS) return r;
  if (valuesCount < 0) return NVML_ERROR_INVALID_ARGUMENT;
  for (int i = 0; i < valuesCount; i++) {
    nvmlFieldValue_t *v = &values[i];
    v->timestamp = (long long) now_micros();
    v->latencyUsec = 0;
    v->nvmlReturn = NVML_SUCCESS;
    switch (v->fieldId) {
      case NVML_FI_DEV_MEMORY_TEMP:
        if (is_unsupported(device->index, "memory_temperature")) { v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED; break; }
        v->valueType = NVML_VALUE_TYPE_UNSIGNED_INT;
        v->value.uiVal = 70 + device->index;
        break;
      case NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX:
      case NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX:
        if (is_unsupported(device->index, "nvlink")) { v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED; break; }
        if (v->scopeId != 0xFFFFFFFFu) { v->nvmlReturn = NVML_ERROR_INVALID_ARGUMENT; break; }
        v->valueType = NVML_VALUE_TYPE_UNSIGNED_LONG_LONG;
        v->value.ullVal = (v->fieldId == NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX ? 1000000ULL : 2000000ULL)
            + (unsigned long long) device->index;
        break;
      default:
        v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
    }
  }
  return NVML_SUCCESS;
}

/* ---- GPM (GPU Performance Monitoring) ---- */
#ifndef STUB_NVML_NO_GPM

/* The smallest NVML_GPM_METRIC_MAX of the released headers (CUDA 11.8 to 12.8): a caller sized
   for a later header must still ask for no more than this many here. */
#define NVML_GPM_METRIC_MAX 98
#define NVML_GPM_METRICS_GET_VERSION 1
#define NVML_GPM_SUPPORT_VERSION 1

/* Opaque to callers; here the device (and MIG GPU instance) sampled and when. */
typedef struct { int taken; int gpu; int gpu_instance; unsigned long long serial; } stub_gpm_sample;
typedef stub_gpm_sample *nvmlGpmSample_t;
static unsigned long long gpm_serial = 0;
static pthread_mutex_t gpm_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
  unsigned int metricId;
  nvmlReturn_t nvmlReturn;
  double value;
  struct {
    char *shortName;
    char *longName;
    char *unit;
  } metricInfo;
} nvmlGpmMetric_t;

typedef struct {
  unsigned int version;
  unsigned int numMetrics;
  nvmlGpmSample_t sample1;
  nvmlGpmSample_t sample2;
  nvmlGpmMetric_t metrics[NVML_GPM_METRIC_MAX];
} nvmlGpmMetricsGet_t;

typedef struct {
  unsigned int version;
  unsigned int isSupportedDevice;
} nvmlGpmSupport_t;

nvmlReturn_t nvmlGpmQueryDeviceSupport(nvmlDevice_t device, nvmlGpmSupport_t *gpmSupport) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (device == NULL || gpmSupport == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (gpmSupport->version != NVML_GPM_SUPPORT_VERSION) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  gpmSupport->isSupportedDevice = is_unsupported(device->index, "gpm") ? 0 : 1;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlGpmSampleAlloc(nvmlGpmSample_t *gpmSample) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (gpmSample == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *gpmSample = calloc(1, sizeof(stub_gpm_sample));
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlGpmSampleFree(nvmlGpmSample_t gpmSample) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (gpmSample == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  free(gpmSample);
  return NVML_SUCCESS;
}

static nvmlReturn_t take_sample(nvmlDevice_t device, int gpu_instance, nvmlGpmSample_t sample) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (device == NULL || sample == NULL || device->mig) return NVML_ERROR_INVALID_ARGUMENT;
  if (is_unsupported(device->index, "gpm")) return NVML_ERROR_NOT_SUPPORTED;
  pthread_mutex_lock(&gpm_lock);
  sample->serial = ++gpm_serial;
  pthread_mutex_unlock(&gpm_lock);
  sample->taken = 1;
  sample->gpu = device->index;
  sample->gpu_instance = gpu_instance;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlGpmSampleGet(nvmlDevice_t device, nvmlGpmSample_t gpmSample) {
  return take_sample(device, -1, gpmSample);
}

nvmlReturn_t nvmlGpmMigSampleGet(nvmlDevice_t device, unsigned int gpuInstanceId, nvmlGpmSample_t gpmSample) {
  if (device == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  for (int k = 0; k < MAX_MIG; k++) {
    int e = mig_entry(device->index, k);
    if (e >= 0 && migs[e].gi == gpuInstanceId) return take_sample(device, (int) gpuInstanceId, gpmSample);
  }
  return NVML_ERROR_NOT_FOUND;
}

/* Percent between the two samples, by nvml.h's NVML_GPM_METRIC_* id; -1 for an id not modelled. */
static double gpm_value(unsigned int id, int gpu, int gpu_instance) {
  double extra = gpu + (gpu_instance >= 0 ? gpu_instance : 0);
  switch (id) {
    case 2: return 40 + extra;  /* SM_UTIL */
    case 3: return 30 + extra;  /* SM_OCCUPANCY */
    case 5: return 20 + extra;  /* ANY_TENSOR_UTIL */
    case 10: return 60 + extra; /* DRAM_BW_UTIL */
    case 11: return 1 + extra;  /* FP64_UTIL */
    case 12: return 10 + extra; /* FP32_UTIL */
    case 13: return 5 + extra;  /* FP16_UTIL */
    default: return -1;
  }
}

nvmlReturn_t nvmlGpmMetricsGet(nvmlGpmMetricsGet_t *metricsGet) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (metricsGet == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (metricsGet->version != NVML_GPM_METRICS_GET_VERSION) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  if (metricsGet->numMetrics > NVML_GPM_METRIC_MAX) return NVML_ERROR_INVALID_ARGUMENT;
  nvmlGpmSample_t a = metricsGet->sample1, b = metricsGet->sample2;
  /* Two samples of the same device (and instance), the second taken later. */
  if (a == NULL || b == NULL || !a->taken || !b->taken || a->gpu != b->gpu
      || a->gpu_instance != b->gpu_instance || b->serial <= a->serial) {
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  for (unsigned int i = 0; i < metricsGet->numMetrics; i++) {
    nvmlGpmMetric_t *m = &metricsGet->metrics[i];
    char needle[32];
    snprintf(needle, sizeof needle, "gpm%u", m->metricId);
    double v = gpm_value(m->metricId, a->gpu, a->gpu_instance);
    m->metricInfo.shortName = NULL;
    m->metricInfo.longName = NULL;
    m->metricInfo.unit = NULL;
    if (v < 0 || is_unsupported(a->gpu, needle)) {
      m->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
      m->value = 0;
    } else {
      m->nvmlReturn = NVML_SUCCESS;
      m->value = v > 100 ? 100 : v;
      m->metricInfo.unit = "%";
    }
  }
  return NVML_SUCCESS;
}
#endif /* STUB_NVML_NO_GPM */

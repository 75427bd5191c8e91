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
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_TIMEOUT 10
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

typedef struct { int index; } stub_device;
typedef stub_device *nvmlDevice_t;

static stub_device devices[MAX_GPUS];
static int initialized = 0; /* nvmlInit_v2 calls not yet shut down */
static unsigned int gpu_count = 1;
static unsigned long long memory_total = 85899345920ULL;
static char unsupported[4096];
static struct { unsigned int gpu; unsigned int pid; unsigned long long bytes; } procs[MAX_PROCS];
static unsigned int proc_count = 0;
static long delay_ms = 0;

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
    if (sscanf(item, "%u:%u:%llu", &gpu, &pid, &bytes) == 3) {
      procs[proc_count].gpu = gpu;
      procs[proc_count].pid = pid;
      procs[proc_count].bytes = bytes;
      proc_count++;
    }
  }
  free(copy);
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
  const char *d = config("STUB_NVML_DELAY_MS");
  delay_ms = d ? atol(d) : 0;
  for (int i = 0; i < MAX_GPUS; i++) devices[i].index = i;
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
  char value[64];
  snprintf(value, sizeof value, "Stub GPU %d", device->index);
  return copy_string(value, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
  if (device == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  char value[80];
  snprintf(value, sizeof value, "GPU-00000000-0000-0000-0000-%012d", device->index);
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
    infos[k].gpuInstanceId = 0xFFFFFFFF;
    infos[k].computeInstanceId = 0xFFFFFFFF;
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

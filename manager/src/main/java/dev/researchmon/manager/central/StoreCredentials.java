package dev.researchmon.manager.central;

import dev.researchmon.manager.ManagerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may use the central store. Two secrets, each in a file of mode 600:
 * <ul>
 *   <li>the <b>password</b> of {@code user} (HTTP basic auth): writing and reading, given to every
 *       host and to Grafana;</li>
 *   <li>the <b>admin key</b>: deleting series, snapshots, merges, the rollup cache, and VictoriaMetrics'
 *       own {@code /metrics}, {@code /flags} and {@code /debug/pprof/}. It stays on the store's machine,
 *       so a host that holds the password still cannot erase the others' history.</li>
 * </ul>
 * Why a key of its own: VictoriaMetrics 1.79 serves {@code /metrics}, {@code /flags} and pprof without
 * asking for basic auth unless their auth keys are set (a set key replaces basic auth there), and an
 * auth key travels in the query string ({@code ?authKey=}), which VictoriaMetrics writes to its log
 * when such a request fails; the password must never be there. The admin endpoints ask for both the
 * password and the key.
 *
 * <pre>{@code
 * StoreCredentials credentials = StoreCredentials.prepare(stateDir, "research", Optional.empty());
 * credentials.victoriaMetricsEnvironment();   // read by -envflag.enable, never on a command line
 * }</pre>
 */
public record StoreCredentials(String user, Path passwordFile, Path adminKeyFile, boolean passwordGenerated) {
    public static final String DEFAULT_USER = "research";
    public static final String PASSWORD_FILE = "store-password";
    public static final String ADMIN_KEY_FILE = "store-admin-key";
    /** HTTP basic auth splits user from password at the first colon. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * VictoriaMetrics' per-endpoint auth keys, as {@code -envflag.enable} spells them: the flag's name
     * with '.' as '_'.
     */
    static final java.util.List<String> AUTH_KEY_VARIABLES = java.util.List.of(
            "deleteAuthKey",
            "snapshotAuthKey",
            "forceMergeAuthKey",
            "forceFlushAuthKey",
            "search_resetCacheAuthKey",
            "flagsAuthKey",
            "metricsAuthKey",
            "pprofAuthKey",
            "configAuthKey");

    public StoreCredentials {
        if (!USER.matcher(user).matches()) {
            throw new ManagerException(
                    "--store-user must be 1 to 64 letters, digits, '.', '_' or '-'; got '" + user + "'");
        }
        passwordFile = passwordFile.toAbsolutePath().normalize();
        adminKeyFile = adminKeyFile.toAbsolutePath().normalize();
    }

    /**
     * The credentials of a store kept in {@code stateDir}: the password from {@code givenPasswordFile},
     * else from {@code stateDir/store-password}, made on the first call and reused on every later one;
     * the admin key always from {@code stateDir/store-admin-key}, made likewise.
     */
    public static StoreCredentials prepare(Path stateDir, String user, Optional<Path> givenPasswordFile) {
        Path passwordFile = givenPasswordFile.orElse(stateDir.resolve(PASSWORD_FILE));
        boolean generated = false;
        if (givenPasswordFile.isPresent()) {
            if (!Files.isRegularFile(passwordFile) || !Files.isReadable(passwordFile)) {
                throw new ManagerException("--store-password-file: " + passwordFile + " is not a readable file");
            }
            SecretFile.read(
                    passwordFile); // an empty file is a mistake to report now, not a store that refuses everyone
        } else {
            generated = SecretFile.createIfAbsent(passwordFile);
        }
        Path adminKeyFile = stateDir.resolve(ADMIN_KEY_FILE);
        SecretFile.createIfAbsent(adminKeyFile);
        return new StoreCredentials(user, passwordFile, adminKeyFile, generated);
    }

    /** What VictoriaMetrics started with {@code -envflag.enable} reads: basic auth and every auth key. */
    public Map<String, String> victoriaMetricsEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("httpAuth_username", user);
        environment.put("httpAuth_password", SecretFile.read(passwordFile));
        String adminKey = SecretFile.read(adminKeyFile);
        AUTH_KEY_VARIABLES.forEach(key -> environment.put(key, adminKey));
        return environment;
    }
}

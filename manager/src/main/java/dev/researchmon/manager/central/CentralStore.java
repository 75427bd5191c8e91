package dev.researchmon.manager.central;

import dev.researchmon.manager.ManagerException;
import java.util.regex.Pattern;

/**
 * Where the central store listens and how long it keeps data. It listens on every interface by
 * default ({@code 0.0.0.0}): the research hosts are other machines.
 *
 * <pre>{@code
 * CentralStore store = new CentralStore("0.0.0.0", 8428, "90d");
 * store.remoteWriteUrl();   // http://<this machine>:8428/api/v1/write
 * }</pre>
 */
public record CentralStore(String bind, int port, String retention) {
    private static final Pattern RETENTION = Pattern.compile("[1-9][0-9]*[hdwy]");
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Za-z.:-]+");

    public CentralStore {
        if (!ADDRESS.matcher(bind).matches()) {
            throw new ManagerException("--store-bind must be an address such as 0.0.0.0 or 127.0.0.1; got '" + bind + "'");
        }
        if (port < 1 || port > 65535) {
            throw new ManagerException("--store-port must be a port number in 1..65535, not " + port);
        }
        if (!RETENTION.matcher(retention).matches()) {
            throw new ManagerException("--store-retention must be a duration such as 90d, 12w or 1y; got '" + retention + "'");
        }
    }

    public boolean loopbackOnly() {
        return bind.startsWith("127.") || bind.equals("localhost") || bind.equals("::1");
    }

    /** The URL to give each host's {@code --remote-write}, as seen from this machine. */
    public String remoteWriteUrl() {
        String host = bind.equals("0.0.0.0") ? "<this machine's name>" : bind;
        return "http://" + host + ":" + port + "/api/v1/write";
    }
}

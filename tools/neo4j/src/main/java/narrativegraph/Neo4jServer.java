package narrativegraph;

import java.nio.file.Path;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * A Neo4j Community server for tests and local use: Bolt on 127.0.0.1 only, auth on.
 *
 * <p>Usage: {@code Neo4jServer HOME PORT PASSWORD}. Sets the password of user neo4j
 * (no change required), prints READY once Bolt answers, and shuts down cleanly on SIGTERM.
 */
public final class Neo4jServer {
    private Neo4jServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Neo4jServer HOME PORT PASSWORD");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String address = "127.0.0.1:" + port;
        String password = args[2];
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // tests try wrong passwords on purpose: never lock the user out
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));
        GraphDatabaseService system = dbms.database("system");
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (RuntimeException e) {
            // the same password as before: nothing to change
            if (!String.valueOf(e.getMessage()).contains("same")) {
                throw e;
            }
        }
        dbms.database("neo4j").executeTransactionally("RETURN 1");
        System.out.println("READY bolt://" + address);
        System.out.flush();
        Thread.currentThread().join();
    }
}

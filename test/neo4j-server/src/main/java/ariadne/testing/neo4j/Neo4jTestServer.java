package ariadne.testing.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Test/CI-only launcher for an embedded Neo4j Community DBMS with a Bolt connector on 127.0.0.1.
 *
 * <p>Usage: {@code java -jar neo4j-test-server.jar [--port=N] [--debug-log] [--no-stdin-watch] [DATA_DIR]}
 *
 * <ul>
 *   <li>Without DATA_DIR a fresh temp directory is used and deleted on shutdown; a given DATA_DIR is kept.
 *   <li>Port 0 (the default) lets the OS choose a free port; the real port is read back from Neo4j.
 *   <li>Auth is disabled. Only loopback is bound. HTTP/HTTPS connectors and usage data collection are off.
 *   <li>stdout carries exactly one line, {@code NEO4J_BOLT_URI=bolt://127.0.0.1:PORT}, once Bolt accepts
 *       connections. Everything else goes to stderr.
 *   <li>Stops cleanly on SIGTERM/SIGINT and when stdin reaches EOF (so it dies with its parent process).
 * </ul>
 */
public final class Neo4jTestServer {

    private static final String DB_NAME = GraphDatabaseSettings.DEFAULT_DATABASE_NAME;
    private static final long MiB = 1024L * 1024L;

    private static final Object LOCK = new Object();
    private static DatabaseManagementService managementService;
    private static Path homeDir;
    private static boolean deleteHomeOnExit;
    private static boolean stopped;

    private Neo4jTestServer() {}

    public static void main(String[] args) {
        // Keep stdout for the single URI line only; anything a library prints to System.out goes to stderr.
        final PrintStream stdout = System.out;
        System.setOut(System.err);

        int port = 0;
        boolean debugLog = false;
        boolean watchStdin = true;
        String dirArg = null;
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.equals("--debug-log")) {
                debugLog = true;
            } else if (arg.equals("--no-stdin-watch")) {
                watchStdin = false;
            } else if (arg.equals("-h") || arg.equals("--help")) {
                log("usage: java -jar neo4j-test-server.jar [--port=N] [--debug-log] [--no-stdin-watch] [DATA_DIR]");
                System.exit(0);
            } else if (arg.startsWith("--")) {
                log("unknown option: " + arg);
                System.exit(2);
            } else {
                dirArg = arg;
            }
        }

        Runtime.getRuntime().addShutdownHook(new Thread(Neo4jTestServer::stop, "neo4j-test-server-shutdown"));
        if (watchStdin) {
            startStdinWatcher();
        }

        final long t0 = System.nanoTime();
        final int boltPort;
        try {
            synchronized (LOCK) {
                if (dirArg != null) {
                    homeDir = Paths.get(dirArg).toAbsolutePath();
                    Files.createDirectories(homeDir);
                    deleteHomeOnExit = false;
                } else {
                    homeDir = Files.createTempDirectory("ariadne-neo4j-");
                    deleteHomeOnExit = true;
                }
                log("starting Neo4j (embedded, Community) in " + homeDir);
                managementService = newBuilder(homeDir, port, debugLog).build();
                GraphDatabaseService db = managementService.database(DB_NAME);
                if (!db.isAvailable(Duration.ofSeconds(90).toMillis())) {
                    throw new IllegalStateException("database '" + DB_NAME + "' did not become available");
                }
                boltPort = resolveBoltPort(db, port);
            }
            waitForTcp(boltPort, Duration.ofSeconds(30));
        } catch (Throwable t) {
            t.printStackTrace(System.err);
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            // Last line on stderr, so callers that show the tail see the root cause.
            log("startup failed: " + root);
            System.exit(1);
            return;
        }

        synchronized (LOCK) {
            if (stopped) {
                return;
            }
            stdout.println("NEO4J_BOLT_URI=bolt://127.0.0.1:" + boltPort);
            stdout.flush();
        }
        log(String.format("Bolt ready on 127.0.0.1:%d after %d ms", boltPort, (System.nanoTime() - t0) / 1_000_000));

        // Park the main thread; the process ends via signal (shutdown hook) or stdin EOF (System.exit).
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static DatabaseManagementServiceBuilder newBuilder(Path home, int port, boolean debugLog) {
        return new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.err, Level.WARN))
                // Bolt on loopback only, plaintext, no auth.
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                // No HTTP(S) server (org.neo4j:neo4j ships neo4j-server) and no usage reporting.
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Small footprint by default; a bulk-load benchmark raises the page cache with
                // -Dariadne.neo4j.pagecache.mib=N (the store no longer fits 64 MiB past ~30,000 addresses).
                .setConfig(GraphDatabaseSettings.pagecache_memory, Long.getLong("ariadne.neo4j.pagecache.mib", 64L) * MiB)
                .setConfig(GraphDatabaseSettings.tx_state_memory_allocation,
                        GraphDatabaseSettings.TransactionStateMemoryAllocation.ON_HEAP)
                .setConfig(GraphDatabaseSettings.tx_state_max_off_heap_memory, 16 * MiB)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 16 * MiB)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.debug_log_enabled, debugLog)
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                // Netty's graceful shutdown defaults to a 5 s quiet period per event loop group (boss + worker),
                // i.e. ~10 s for every stop. Tests don't need that.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2));
    }

    private static int resolveBoltPort(GraphDatabaseService db, int configuredPort) {
        try {
            ConnectorPortRegister ports = ((GraphDatabaseAPI) db).getDependencyResolver()
                    .resolveDependency(ConnectorPortRegister.class);
            HostnamePort address = ports.getLocalAddress(ConnectorType.BOLT);
            if (address != null && address.getPort() > 0) {
                return address.getPort();
            }
        } catch (RuntimeException e) {
            log("could not read bound Bolt port from Neo4j: " + e);
        }
        if (configuredPort > 0) {
            return configuredPort;
        }
        throw new IllegalStateException("Bolt connector port unknown (no bound address registered)");
    }

    private static void waitForTcp(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IOException("Bolt port " + port + " not accepting connections", last);
    }

    private static void startStdinWatcher() {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[256];
            try {
                InputStream in = System.in;
                while (in.read(buf) >= 0) {
                    // ignore input; we only care about EOF
                }
            } catch (IOException ignored) {
                // treat a broken stdin like EOF
            }
            log("stdin closed, shutting down");
            System.exit(0);
        }, "neo4j-test-server-stdin");
        t.setDaemon(true);
        t.start();
    }

    /** Idempotent; runs in the shutdown hook. */
    private static void stop() {
        synchronized (LOCK) {
            if (stopped) {
                return;
            }
            stopped = true;
            long t0 = System.nanoTime();
            if (managementService != null) {
                try {
                    managementService.shutdown();
                } catch (Throwable t) {
                    log("error during Neo4j shutdown: " + t);
                }
                managementService = null;
            }
            if (homeDir != null && deleteHomeOnExit) {
                deleteRecursively(homeDir);
            }
            log(String.format("stopped in %d ms", (System.nanoTime() - t0) / 1_000_000));
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log("could not delete " + root + ": " + e);
        }
    }

    private static void log(String msg) {
        System.err.println("[neo4j-test-server] " + msg);
        System.err.flush();
    }
}

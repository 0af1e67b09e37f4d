package dev.tokenbench.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * The store suite on a real PostgreSQL: Debian's package, a throw-away cluster started by
 * scripts/test-postgres.sh on 127.0.0.1 and a free port, stopped by its PID after the suite. Each test gets a
 * database of its own.
 */
class PostgresHistoryStoreTest extends HistoryStoreContract {
    private static Path clusterDir;
    private static int port;
    private static int databases;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path parent = Files.createTempDirectory("tokenbench-pg",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        clusterDir = parent.resolve("cluster");
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        script("start", clusterDir.toString(), Integer.toString(port));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (clusterDir != null) {
            script("stop", clusterDir.toString());
        }
    }

    static void script(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = Path.of("scripts", "test-postgres.sh").toAbsolutePath().toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Bounded: an apt-get install on a machine without PostgreSQL, else a few seconds.
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/test-postgres.sh " + args[0] + " did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("scripts/test-postgres.sh " + args[0] + " failed: " + out);
        }
    }

    static PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser("tokenbench");
        return ds;
    }

    @Override
    HistoryStore emptyStore() throws Exception {
        String database = "suite" + (++databases);
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return PostgresHistoryStore.open(dataSource(database), "127.0.0.1:" + port + "/" + database);
    }
}

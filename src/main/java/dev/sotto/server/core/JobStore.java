package dev.sotto.server.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The durable record of asynchronous jobs: one SQLite table in {@code <data>/jobs.db} and, for a
 * job with audio, the folder {@code <data>/jobs/<id>/}. Each write is committed (WAL,
 * {@code synchronous=FULL}) before its method returns, so an accepted job survives kill -9 and
 * power loss. Every read comes from the database, never from memory.
 *
 * <p>Thread-safe: the methods share one connection and take turns on it. One process at a time
 * may open a data directory (a file lock guards it), since opening one re-queues its running jobs.
 */
public final class JobStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Job.LogLine>> LOG_LINES = new TypeReference<>() {
    };
    private static final String FINISHED = "('completed', 'failed', 'cancelled')";

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS jobs (
                seq          INTEGER PRIMARY KEY AUTOINCREMENT, -- creation order (rowid alone may change on VACUUM)
                id           TEXT NOT NULL UNIQUE,
                kind         TEXT NOT NULL,
                endpoint     TEXT NOT NULL,
                params       TEXT NOT NULL,
                audio        TEXT,                              -- relative to the data directory
                file_name    TEXT,
                file_size    INTEGER NOT NULL,
                state        TEXT NOT NULL,
                attempts     INTEGER NOT NULL DEFAULT 0,
                result       TEXT,
                error_status INTEGER,
                error        TEXT,
                logs         TEXT NOT NULL DEFAULT '[]',
                created_at   INTEGER NOT NULL,
                started_at   INTEGER,
                finished_at  INTEGER
            )""";

    private final Path dataDir;
    private final Connection db;
    private final FileChannel lockFile;

    private JobStore(Path dataDir, Connection db, FileChannel lockFile) {
        this.dataDir = dataDir;
        this.db = db;
        this.lockFile = lockFile;
    }

    /** Opens (creating if needed) the job store in {@code dataDir}. */
    public static JobStore open(Path dataDir) {
        Path dbFile = dataDir.resolve("jobs.db");
        FileChannel lockFile = null;
        Connection db = null;
        try {
            Files.createDirectories(dataDir.resolve("jobs"));
            lockFile = FileChannel.open(dataDir.resolve("jobs.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (!tryLock(lockFile)) throw new SottoException(dataDir + ": another Sotto server is using this data directory");
            db = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute(SCHEMA);
                s.execute("CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs(state, seq)");
            }
            JobStore store = new JobStore(dataDir, db, lockFile);
            store.removeOrphanFolders();
            return store;
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(db, lockFile);
            if (e instanceof SottoException se) throw se;
            throw new SottoException(dbFile + ": cannot open the job store: " + e.getMessage(), e);
        }
    }

    /** Locks the file against other processes, and (the JDK's own check) against a second store in this one. */
    private static boolean tryLock(FileChannel lockFile) throws IOException {
        try {
            return lockFile.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }

    /**
     * Saves a new queued job. If {@code audio} is given, the file is moved into the job's folder
     * first (the caller's file is gone afterwards); when this returns, file and row are both on disk.
     */
    public Job create(String kind, String endpoint, String paramsJson, Path audio, String fileName, long fileSize) {
        String id = UUID.randomUUID().toString();
        String audioPath = audio == null ? null : moveIn(id, audio, fileName);
        try {
            update("INSERT INTO jobs (id, kind, endpoint, params, audio, file_name, file_size, state, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)",
                    id, kind, endpoint, paramsJson, audioPath, fileName, fileSize, System.currentTimeMillis());
        } catch (RuntimeException e) {
            deleteFolder(id); // the job was never accepted: do not keep its audio
            throw e;
        }
        return find(id).orElseThrow();
    }

    public Optional<Job> find(String id) {
        return select("id = ?", id).stream().findFirst();
    }

    /** Moves a queued job to running. False if it is not queued (cancelled, or another worker took it). */
    public boolean markRunning(String id) {
        return update("UPDATE jobs SET state = 'running', started_at = ? WHERE id = ? AND state = 'queued'",
                System.currentTimeMillis(), id) == 1;
    }

    /** Completes a queued or running job with its result. False if the job had already finished. */
    public boolean complete(String id, String resultJson) {
        return update("UPDATE jobs SET state = 'completed', result = ?, finished_at = ? "
                + "WHERE id = ? AND state IN ('queued', 'running')", resultJson, System.currentTimeMillis(), id) == 1;
    }

    /** Fails a queued or running job: its result request answers {@code httpStatus} with {@code errorJson}. */
    public boolean fail(String id, int httpStatus, String errorJson) {
        return update("UPDATE jobs SET state = 'failed', error_status = ?, error = ?, finished_at = ? "
                        + "WHERE id = ? AND state IN ('queued', 'running')",
                httpStatus, errorJson, System.currentTimeMillis(), id) == 1;
    }

    /** Cancels a job that is still queued. False if it is unknown, running or finished. */
    public boolean cancel(String id) {
        return update("UPDATE jobs SET state = 'cancelled', finished_at = ? WHERE id = ? AND state = 'queued'",
                System.currentTimeMillis(), id) == 1;
    }

    /** Appends a line to the job's log (nothing happens for an unknown id). */
    public void log(String id, String level, String message) {
        // json_insert appends in the database itself: no read-modify-write race between writers.
        update("UPDATE jobs SET logs = json_insert(logs, '$[#]', "
                        + "json_object('timestamp', ?, 'level', ?, 'message', ?)) WHERE id = ?",
                Instant.now().toString(), level, message, id);
    }

    /** The queued jobs, oldest first. */
    public List<Job> queued() {
        return select("state = 'queued' ORDER BY seq");
    }

    public int queuedCount() {
        return (int) number("SELECT COUNT(*) FROM jobs WHERE state = 'queued'");
    }

    /** How many queued jobs were created before this one (0 = next to run); -1 if it is not queued. */
    public int position(String id) {
        return (int) number("SELECT COALESCE((SELECT CASE WHEN j.state = 'queued' THEN "
                + "(SELECT COUNT(*) FROM jobs q WHERE q.state = 'queued' AND q.seq < j.seq) ELSE -1 END "
                + "FROM jobs j WHERE j.id = ?), -1)", id);
    }

    /**
     * At startup: puts back in the queue every job a stop of the server left running, counting the
     * cut-short run in {@code attempts}. A job cut short {@code maxRuns} times in all is failed
     * instead (HTTP 500), so a job that crashes the server cannot crash it forever.
     *
     * @return how many jobs were re-queued
     */
    public synchronized int requeueRunning(int maxRuns) {
        String error = JSON.createObjectNode()
                .put("detail", "the server stopped while running this job " + maxRuns + " times; it is not run again")
                .toString();
        return inTransaction(() -> {
            update("UPDATE jobs SET state = 'failed', attempts = attempts + 1, error_status = 500, error = ?, "
                    + "finished_at = ? WHERE state = 'running' AND attempts + 1 >= ?",
                    error, System.currentTimeMillis(), maxRuns);
            return update("UPDATE jobs SET state = 'queued', attempts = attempts + 1, started_at = NULL "
                    + "WHERE state = 'running'");
        });
    }

    /** Deletes the jobs that finished (any final state) before {@code epochMillis}, and their audio. */
    public int purgeFinishedBefore(long epochMillis) {
        List<String> ids = inTransaction(() -> {
            List<String> found = strings("SELECT id FROM jobs WHERE state IN " + FINISHED + " AND finished_at < ?",
                    epochMillis);
            update("DELETE FROM jobs WHERE state IN " + FINISHED + " AND finished_at < ?", epochMillis);
            return found;
        });
        // Folders go after the commit: one left by a crash here is removed by the next open().
        ids.forEach(this::deleteFolder);
        return ids.size();
    }

    /** The number of jobs in each state; every state is present, 0 when none. */
    public synchronized Map<Job.State, Integer> countsByState() {
        Map<Job.State, Integer> counts = new EnumMap<>(Job.State.class);
        for (Job.State state : Job.State.values()) counts.put(state, 0);
        try (PreparedStatement s = prepare("SELECT state, COUNT(*) FROM jobs GROUP BY state");
             ResultSet r = s.executeQuery()) {
            while (r.next()) counts.put(Job.State.of(r.getString(1)), r.getInt(2));
        } catch (SQLException e) {
            throw failure(e);
        }
        return counts;
    }

    @Override
    public synchronized void close() {
        closeQuietly(db, lockFile);
    }

    // ---- audio files ----

    private String moveIn(String id, Path audio, String fileName) {
        Path folder = folder(id);
        // Stored under a fixed name: the client's file name never becomes a path.
        Path target = folder.resolve("audio" + extension(fileName));
        try {
            Files.createDirectories(folder);
            try {
                Files.move(audio, target, StandardCopyOption.ATOMIC_MOVE);
                fsync(target);
            } catch (AtomicMoveNotSupportedException e) {
                // Another filesystem: copy, make the copy durable, then delete the original.
                Files.copy(audio, target);
                fsync(target);
                Files.delete(audio);
            }
            fsyncDirectory(folder);
            fsyncDirectory(folder.getParent());
        } catch (IOException e) {
            deleteFolder(id);
            throw new SottoException("cannot move " + audio + " into " + folder + ": " + e.getMessage(), e);
        }
        return dataDir.relativize(target).toString();
    }

    /** ".wav" for "talk.WAV"; empty for a missing or odd extension. */
    static String extension(String fileName) {
        if (fileName == null) return "";
        String ext = fileName.substring(fileName.lastIndexOf('.') + 1);
        return fileName.contains(".") && ext.matches("[A-Za-z0-9]{1,10}") ? "." + ext.toLowerCase(Locale.ROOT) : "";
    }

    private Path folder(String id) {
        return dataDir.resolve("jobs").resolve(id);
    }

    private void deleteFolder(String id) {
        Path folder = folder(id);
        if (!Files.exists(folder)) return;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + folder, e);
        }
    }

    /** Folders without a row: left by a crash between moving audio in and committing its job. */
    private void removeOrphanFolders() throws IOException {
        Set<String> ids = new HashSet<>(strings("SELECT id FROM jobs"));
        try (Stream<Path> folders = Files.list(dataDir.resolve("jobs"))) {
            for (Path folder : folders.toList()) {
                String name = folder.getFileName().toString();
                if (!ids.contains(name)) {
                    LOG.info("removing " + folder + ": no job has it");
                    deleteFolder(name);
                }
            }
        }
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Makes a rename or new entry in {@code dir} durable; best effort, as not every OS can open a directory. */
    private static void fsyncDirectory(Path dir) {
        try {
            fsync(dir);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot fsync " + dir, e);
        }
    }

    // ---- SQL ----

    private synchronized List<Job> select(String where, Object... args) {
        try (PreparedStatement s = prepare("SELECT * FROM jobs WHERE " + where, args); ResultSet r = s.executeQuery()) {
            List<Job> jobs = new ArrayList<>();
            while (r.next()) jobs.add(job(r));
            return jobs;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private Job job(ResultSet r) throws SQLException {
        String audio = r.getString("audio");
        return new Job(r.getString("id"), r.getString("kind"), r.getString("endpoint"), r.getString("params"),
                audio == null ? null : dataDir.resolve(audio), r.getString("file_name"), r.getLong("file_size"),
                Job.State.of(r.getString("state")), r.getInt("attempts"), r.getString("result"),
                nullableInt(r, "error_status"), r.getString("error"), logLines(r.getString("logs")),
                r.getLong("created_at"), nullableLong(r, "started_at"), nullableLong(r, "finished_at"));
    }

    private static List<Job.LogLine> logLines(String json) {
        try {
            return JSON.readValue(json, LOG_LINES);
        } catch (JsonProcessingException e) {
            throw new SottoException("jobs.db: a job's logs are not a JSON array of lines: " + e.getMessage(), e);
        }
    }

    private static Integer nullableInt(ResultSet r, String column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet r, String column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }

    private synchronized int update(String sql, Object... args) {
        try (PreparedStatement s = prepare(sql, args)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private synchronized long number(String sql, Object... args) {
        try (PreparedStatement s = prepare(sql, args); ResultSet r = s.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private synchronized List<String> strings(String sql, Object... args) {
        try (PreparedStatement s = prepare(sql, args); ResultSet r = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (r.next()) values.add(r.getString(1));
            return values;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement s = db.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
        return s;
    }

    /** Runs {@code work} as one transaction: all its writes are committed, or none. */
    private synchronized <T> T inTransaction(Supplier<T> work) {
        try {
            db.setAutoCommit(false);
            try {
                T value = work.get();
                db.commit();
                return value;
            } catch (RuntimeException | SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private RuntimeException failure(SQLException e) {
        return new SottoException(dataDir.resolve("jobs.db") + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection db, FileChannel lockFile) {
        try {
            if (db != null) db.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "cannot close the job store", e);
        }
        try {
            if (lockFile != null) lockFile.close(); // releases the lock
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot release the job store lock", e);
        }
    }
}

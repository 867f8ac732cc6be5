package dev.mlv.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The body of a lock object of a store remote ({@code locks/KIND-ID.json}, docs/format.md section
 * 2.2): who holds it, for messages, and enough to tell that a holder on this host has died (its
 * process is gone, or its pid now belongs to a process started later).
 *
 * @param kind {@code shared} or {@code exclusive}, as in the object's name
 * @param operation what holds it ({@code push}, {@code gc --remote})
 * @param host the holder's host name
 * @param pid the holder's process id
 * @param processStart when the holder's process started, or null when unknown
 * @param created when the lock was first written, by the holder's clock
 */
record LockRecord(String kind, String operation, String host, long pid, Instant processStart, Instant created) {
    private static final JsonFactory JSON = new JsonFactory();

    static LockRecord ofThisProcess(String kind, String operation) {
        ProcessHandle self = ProcessHandle.current();
        return new LockRecord(kind, operation, thisHost(), self.pid(), self.info().startInstant().orElse(null),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    byte[] encode() {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeNumberField("version", 1);
            g.writeStringField("kind", kind);
            g.writeStringField("operation", operation);
            g.writeStringField("host", host);
            g.writeNumberField("pid", pid);
            if (processStart != null) {
                g.writeStringField("processStart", processStart.toString());
            }
            g.writeStringField("created", created.toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string cannot fail", e);
        }
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a lock body; unknown fields are ignored (a later version may add some). */
    static LockRecord decode(String key, byte[] data) throws CorruptContentException {
        String kind = null;
        String operation = "?";
        String host = null;
        long pid = -1;
        Instant processStart = null;
        Instant created = null;
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CorruptContentException("lock " + key + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                switch (name) {
                    case "kind" -> kind = p.getText();
                    case "operation" -> operation = p.getText();
                    case "host" -> host = p.getText();
                    case "pid" -> pid = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "processStart" -> processStart = Instant.parse(p.getText());
                    case "created" -> created = Instant.parse(p.getText());
                    default -> {
                        // a field of a later version
                    }
                }
            }
        } catch (IOException | DateTimeParseException e) {
            throw new CorruptContentException("lock " + key + " is not a valid lock record: " + e.getMessage());
        }
        return new LockRecord(kind, operation, host, pid, processStart, created);
    }

    /**
     * True when the holder is known to be dead: it ran on this host, and no process with its pid
     * runs, or the one that does started at another time (the pid was reused).
     */
    boolean holderIsGone() {
        if (host == null || pid < 0 || !host.equals(thisHost())) {
            return false;
        }
        return ProcessHandle.of(pid).map(h -> processStart != null && h.info().startInstant()
                .map(s -> !s.equals(processStart)).orElse(false)).orElse(true);
    }

    /** For messages: {@code gc --remote (process 123 on build-7, since 2026-...)}. */
    String describe() {
        return operation + " (process " + pid + " on " + host + (created == null ? "" : ", since " + created) + ")";
    }

    private static String thisHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

package org.kvmosgi.explorer;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run (or one shard of a run) found, as {@code --json} writes it for machines and
 * {@code --merge} reads it back: what was explored, the figures, every distinct state's key
 * with the depth it was first reached at (so that merged shards count a state both reached
 * once), and the violations with their minimal reproducers.
 */
public record ShardResult(Exploration exploration, Shard shard, int workers, Explorer.Report report,
        List<Finding> findings) {
    /** The format's version: a merge refuses a file of another. */
    static final int FORMAT = 1;

    /**
     * What was explored: shards of one exploration agree on all of it. {@code maxVms} is the
     * bound on open VMs ({@code --vms}); 0 in a file written before there was one (unbounded).
     */
    public record Exploration(List<String> features, String host, int depth, List<String> modules,
            List<String> points, boolean mergeGone, int maxVms) {
        public Exploration {
            features = List.copyOf(features);
            modules = List.copyOf(modules);
            points = List.copyOf(points);
        }

        public Exploration(List<String> features, String host, int depth, List<String> modules, List<String> points,
                boolean mergeGone) {
            this(features, host, depth, modules, points, mergeGone, OpSource.DEFAULT_MAX_VMS);
        }
    }

    /**
     * A violation: its signature, the depth it was first found at (before minimisation), and
     * its minimal reproducer's message and command lines.
     */
    public record Finding(String signature, String message, int depth, List<String> lines) {
        public Finding {
            lines = List.copyOf(lines);
        }
    }

    public void write(Writer out) {
        JsonObjectBuilder o = Json.createObjectBuilder().add("format", FORMAT);
        Exploration e = exploration;
        o.add("exploration", Json.createObjectBuilder().add("features", strings(e.features())).add("host", e.host())
                .add("depth", e.depth()).add("modules", strings(e.modules())).add("points", strings(e.points()))
                .add("mergeGone", e.mergeGone()).add("maxVms", e.maxVms()));
        o.add("shard", Json.createObjectBuilder().add("index", shard.index()).add("count", shard.count()));
        o.add("workers", workers);
        Explorer.Report r = report;
        JsonArrayBuilder levels = Json.createArrayBuilder();
        for (Explorer.Level l : r.levels()) {
            levels.add(Json.createObjectBuilder().add("depth", l.depth()).add("sequences", l.sequences())
                    .add("newStates", l.newStates()).add("violations", l.violations()).add("nanos", l.nanos())
                    .add("complete", l.complete()));
        }
        o.add("levels", levels).add("sequences", r.sequences()).add("states", r.states()).add("nanos", r.nanos())
                .add("depthReached", r.depthReached()).add("finished", r.finished());
        JsonObjectBuilder reached = Json.createObjectBuilder();
        new TreeMap<>(r.reached()).forEach(reached::add);
        o.add("reached", reached);
        JsonArrayBuilder found = Json.createArrayBuilder();
        for (Finding f : findings) {
            found.add(Json.createObjectBuilder().add("signature", f.signature()).add("message", f.message())
                    .add("depth", f.depth()).add("reproducer", strings(f.lines())));
        }
        o.add("violations", found);
        try (JsonWriter w = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
            w.writeObject(o.build());
        }
    }

    /** Reads a file {@link #write} wrote; anything else is one clear error naming the file. */
    public static ShardResult read(Path file) {
        try (Reader in = Files.newBufferedReader(file); JsonReader r = Json.createReader(in)) {
            JsonObject o = r.readObject();
            if (o.getInt("format", 0) != FORMAT) {
                throw new IllegalArgumentException(file + ": not an explorer result of format " + FORMAT
                        + " (write it with ./kvmsh --explore --json FILE)");
            }
            JsonObject e = o.getJsonObject("exploration");
            Exploration exploration = new Exploration(strings(e.getJsonArray("features")), e.getString("host"),
                    e.getInt("depth"), strings(e.getJsonArray("modules")), strings(e.getJsonArray("points")),
                    e.getBoolean("mergeGone"), e.getInt("maxVms", 0));
            JsonObject s = o.getJsonObject("shard");
            List<Explorer.Level> levels = new ArrayList<>();
            for (JsonObject l : o.getJsonArray("levels").getValuesAs(JsonObject.class)) {
                levels.add(new Explorer.Level(l.getInt("depth"), l.getInt("sequences"), l.getInt("newStates"),
                        l.getInt("violations"), l.getJsonNumber("nanos").longValue(), l.getBoolean("complete")));
            }
            Map<String, Integer> reached = new LinkedHashMap<>();
            o.getJsonObject("reached").forEach((k, v) -> reached.put(k, ((jakarta.json.JsonNumber) v).intValue()));
            List<Finding> findings = new ArrayList<>();
            List<Explorer.Violation> violations = new ArrayList<>();
            for (JsonObject v : o.getJsonArray("violations").getValuesAs(JsonObject.class)) {
                Finding f = new Finding(v.getString("signature"), v.getString("message"), v.getInt("depth"),
                        strings(v.getJsonArray("reproducer")));
                findings.add(f);
                violations.add(new Explorer.Violation(f.signature(), f.message(), List.of(), f.lines()));
            }
            Explorer.Report report = new Explorer.Report(levels, violations, o.getInt("states"),
                    o.getInt("sequences"), o.getJsonNumber("nanos").longValue(), reached, o.getBoolean("finished"));
            return new ShardResult(exploration, new Shard(s.getInt("index"), s.getInt("count")), o.getInt("workers"),
                    report, findings);
        } catch (java.nio.file.NoSuchFileException x) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file");
        } catch (IOException x) {
            throw new IllegalArgumentException("cannot read " + file + ": " + x.getMessage());
        } catch (JsonException | ClassCastException | NullPointerException x) {
            throw new IllegalArgumentException(file + ": not an explorer result (" + x.getMessage() + ")");
        }
    }

    /**
     * The shards of one exploration as the unsharded run would report them: each state once,
     * at the smallest depth a shard reached it (breadth first, that is its distance from the
     * fresh kernel); each violation once, at the smallest depth found, with the shortest
     * reproducer (the earlier shard's on a tie); sequences, time and workers summed, since
     * shards memoise apart and run apart. A level is complete when every shard completed it
     * or finished before it.
     */
    public static ShardResult merge(List<ShardResult> shards, List<String> names) {
        ShardResult first = shards.get(0);
        int count = first.shard().count();
        ShardResult[] byIndex = new ShardResult[count];
        for (int i = 0; i < shards.size(); i++) {
            ShardResult s = shards.get(i);
            if (!s.exploration().equals(first.exploration()) || s.shard().count() != count) {
                throw new IllegalArgumentException("--merge: " + names.get(i) + " is shard " + s.shard() + " of "
                        + describe(s.exploration()) + ", but " + names.get(0) + " is shard " + first.shard() + " of "
                        + describe(first.exploration()) + ": not shards of one exploration");
            }
            if (byIndex[s.shard().index() - 1] != null) {
                throw new IllegalArgumentException("--merge: shard " + s.shard() + " is given twice ("
                        + names.get(i) + ")");
            }
            byIndex[s.shard().index() - 1] = s;
        }
        for (int i = 0; i < count; i++) {
            if (byIndex[i] == null) {
                throw new IllegalArgumentException("--merge: shard " + (i + 1) + "/" + count
                        + " is missing: without it the union is not the whole exploration");
            }
        }
        Map<String, Integer> reached = new HashMap<>();
        Map<String, Finding> best = new LinkedHashMap<>();
        int maxLevel = 0;
        long sequences = 0;
        long nanos = 0;
        int workers = 0;
        boolean finished = true;
        for (ShardResult s : byIndex) {
            s.report().reached().forEach((k, d) -> reached.merge(k, d, Math::min));
            for (Finding f : s.findings()) {
                best.merge(f.signature(), f, (a, b) -> Comparator.comparingInt(Finding::depth)
                        .thenComparingInt((Finding x) -> x.lines().size()).compare(b, a) < 0 ? b : a);
            }
            maxLevel = Math.max(maxLevel, s.report().levels().size());
            sequences += s.report().sequences();
            nanos += s.report().nanos();
            workers += s.workers();
            finished &= s.report().finished();
        }
        List<Explorer.Level> levels = new ArrayList<>();
        for (int depth = 1; depth <= maxLevel; depth++) {
            int seqs = 0;
            long time = 0;
            boolean complete = true;
            for (ShardResult s : byIndex) {
                List<Explorer.Level> ls = s.report().levels();
                if (depth <= ls.size()) {
                    seqs += ls.get(depth - 1).sequences();
                    time += ls.get(depth - 1).nanos();
                    complete &= ls.get(depth - 1).complete();
                } else {
                    complete &= s.report().finished();
                }
            }
            int d = depth;
            levels.add(new Explorer.Level(depth, seqs, (int) reached.values().stream().filter(v -> v == d).count(),
                    (int) best.values().stream().filter(f -> f.depth() == d).count(), time, complete));
        }
        List<Finding> findings = new ArrayList<>(best.values());
        findings.sort(Comparator.comparingInt(Finding::depth));
        List<Explorer.Violation> violations = findings.stream()
                .map(f -> new Explorer.Violation(f.signature(), f.message(), List.of(), f.lines())).toList();
        Map<String, Integer> sorted = new TreeMap<>(reached);
        return new ShardResult(first.exploration(), Shard.ALL, workers, new Explorer.Report(levels, violations,
                sorted.size(), (int) sequences, nanos, sorted, finished), findings);
    }

    static String describe(Exploration e) {
        return String.join(", ", e.features()) + " on " + e.host() + " (depth " + e.depth() + ", modules "
                + String.join(",", e.modules()) + ", " + e.points().size() + " injection points"
                + (e.mergeGone() ? ", --merge-gone" : "") + (e.maxVms() > 0 ? ", at most " + e.maxVms() + " open VMs"
                        : ", open VMs unbounded") + ")";
    }

    private static JsonArrayBuilder strings(List<String> l) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        l.forEach(b::add);
        return b;
    }

    private static List<String> strings(JsonArray a) {
        return a.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}

package org.kvmosgi.explorer;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A worker process: one platform in a JVM of its own, serving command lines read from
 * stdin. One platform per JVM because Gogo's runtime redirects System.out per thread by
 * swapping the JVM-wide stream: two runtimes in one JVM let output escape its session.
 *
 * <p>Protocol: a line in; out {@code status threw} as two ints, then the output and the
 * error text as length-prefixed UTF-8 (DataOutputStream).
 */
public final class WorkerMain {
    private WorkerMain() {}

    /** args: home host dir feature... */
    public static void main(String[] args) throws Exception {
        DataOutputStream proto = new DataOutputStream(new FileOutputStream(FileDescriptor.out));
        // whatever escapes a session goes to stderr, never into the protocol
        System.setOut(System.err);
        List<String> features = List.of(args).subList(3, args.length);
        FelixShell shell;
        try {
            shell = FelixShell.boot(Path.of(args[0]), features, args[1], Path.of(args[2]));
        } catch (Exception e) {
            writeResult(proto, new Shell.Result(1, "", "boot failed: " + e.getMessage(), true));
            System.exit(1);
            return;
        }
        writeResult(proto, new Shell.Result(0, "ready", "", false));
        BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(FileDescriptor.in),
                StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            writeResult(proto, shell.run(line));
        }
        shell.close();
        System.exit(0);
    }

    static void writeResult(DataOutputStream out, Shell.Result r) throws java.io.IOException {
        out.writeInt(r.status());
        out.writeBoolean(r.threw());
        writeText(out, r.out());
        writeText(out, r.err());
        out.flush();
    }

    private static void writeText(DataOutputStream out, String s) throws java.io.IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}

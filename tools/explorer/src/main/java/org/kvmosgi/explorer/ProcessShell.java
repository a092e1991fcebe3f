package org.kvmosgi.explorer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A platform in a worker process ({@link WorkerMain}), driven line by line. */
final class ProcessShell implements Shell, AutoCloseable {
    private final Process process;
    private final OutputStream in;
    private final DataInputStream out;

    private ProcessShell(Process process) {
        this.process = process;
        this.in = process.getOutputStream();
        this.out = new DataInputStream(process.getInputStream());
    }

    static ProcessShell start(Path home, List<String> features, String host, Path dir, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-Dkvmosgi.state=" + dir);
        cmd.add("-Dorg.jline.terminal.dumb=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WorkerMain.class.getName());
        cmd.add(home.toString());
        cmd.add(host);
        cmd.add(dir.toString());
        cmd.addAll(features);
        java.nio.file.Files.createDirectories(dir);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        ProcessShell shell = new ProcessShell(p);
        Result ready = shell.read();
        if (!ready.ok()) {
            shell.close();
            throw new IOException("worker did not boot: " + ready.err() + " (see " + log + ")");
        }
        return shell;
    }

    @Override
    public Result run(String line) {
        try {
            in.write((line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("worker process ended: " + e.getMessage(), e);
        }
    }

    private Result read() throws IOException {
        int status = out.readInt();
        boolean threw = out.readBoolean();
        return new Result(status, text(), text(), threw);
    }

    private String text() throws IOException {
        byte[] b = new byte[out.readInt()];
        out.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (IOException | InterruptedException e) {
            process.destroy();
        }
    }
}

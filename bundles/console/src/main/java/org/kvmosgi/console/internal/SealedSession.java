package org.kvmosgi.console.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.kvmosgi.console.api.CommandFailure;

/**
 * A session of the sealed shell: its working directory is the model's {@code /}
 * ({@link ModelFileSystem}), so that globbing lists the model's names, and it cannot be
 * moved onto the host's file system. Without a kernel there is no model to glob against,
 * and globs stay as typed.
 */
final class SealedSession extends CommandSessionImpl {
    private final Path root;

    SealedSession(CommandProcessorImpl processor, InputStream in, OutputStream out, OutputStream err, Path root) {
        super(processor, in, out, err);
        this.root = root;
        // the field a nested session copies, too
        super.currentDir(root);
    }

    @Override
    public Path currentDir() {
        return root;
    }

    @Override
    public void currentDir(Path path) {
        if (path == null || root == null || !path.getFileSystem().equals(root.getFileSystem())) {
            throw new CommandFailure("kvmsh: cd: the sealed shell's working directory is the model's /", 1);
        }
    }
}

package org.kvmosgi.console.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The console's stderr as Gogo writes to it. Gogo prints the failure of a command in the
 * middle of a pipeline itself ({@code gogo: CommandFailure: MESSAGE}, one write per line);
 * a CommandFailure's message is the whole line the tool prints, so the prefix goes, as it
 * does for the last command of a line, which the console reports itself.
 */
final class FailureLines extends FilterOutputStream {
    static final byte[] PREFIX = "gogo: CommandFailure: ".getBytes(StandardCharsets.UTF_8);

    FailureLines(OutputStream err) {
        super(err);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > PREFIX.length && Arrays.equals(b, off, off + PREFIX.length, PREFIX, 0, PREFIX.length)) {
            out.write(b, off + PREFIX.length, len - PREFIX.length);
        } else {
            out.write(b, off, len);
        }
    }
}

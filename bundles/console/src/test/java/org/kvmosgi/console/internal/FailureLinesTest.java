package org.kvmosgi.console.internal;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class FailureLinesTest {
    @Test
    public void gogosPrefixGoesFromACommandFailureLineOnly() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FailureLines err = new FailureLines(sink);
        write(err, "gogo: CommandFailure: modinfo: ERROR: Module x not found.\n");
        write(err, "gogo: CommandNotFoundException: Command not found: y\n");
        write(err, "plain gogo: CommandFailure: in the middle stays\n");
        assertEquals("modinfo: ERROR: Module x not found.\n"
                + "gogo: CommandNotFoundException: Command not found: y\n"
                + "plain gogo: CommandFailure: in the middle stays\n", sink.toString(StandardCharsets.UTF_8));
    }

    private static void write(FailureLines out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }
}

package org.kvmosgi.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Function;
import org.junit.Test;
import org.kvmosgi.console.api.CommandFailure;

public class SealingTest {
    private final List<List<Object>> ran = new ArrayList<>();
    private final Function command = (session, args) -> {
        ran.add(args);
        return null;
    };

    @Test
    public void computingAndBundleCommandsAreKeptAsTheyAre() {
        assertSame(command, Sealing.admit("gogo", "echo", command));
        assertSame(command, Sealing.admit("gogo", "each", command));
        assertSame(command, Sealing.admit("felix", "lb", command));
        assertSame(command, Sealing.admit("felix", "stop", command));
    }

    @Test
    public void whatReachesTheHostIsRefusedWithOneLine() throws Exception {
        for (String key : List.of("gogo:cat", "gogo:new", "gogo:tac", "gogo:source", "felix:ls", "felix:cd", "felix:install",
                "gogo:history", "gogo:__files", "gogo:some_future_command")) {
            String[] sn = key.split(":");
            try {
                Sealing.admit(sn[0], sn[1], command).execute(null, new ArrayList<>());
                fail(key + " ran");
            } catch (CommandFailure f) {
                assertTrue(f.getMessage(), f.getMessage().startsWith("kvmsh: " + key + ": not in the sealed shell: "));
                assertEquals(126, f.status());
            }
        }
        assertTrue(ran.isEmpty());
    }

    @Test
    public void startAndUpdateTakeBundleIdsNeverALocation() throws Exception {
        Sealing.admit("felix", "start", command).execute(null, new ArrayList<>(List.of("-t", "12", "13")));
        Sealing.admit("felix", "update", command).execute(null, new ArrayList<>(List.of("12")));
        assertEquals(2, ran.size());
        for (List<Object> args : List.of(List.<Object>of("file:/tmp/x.jar"), List.<Object>of("12", "http://x/y.jar"))) {
            try {
                Sealing.admit("felix", args.size() == 1 ? "start" : "update", command).execute(null, new ArrayList<>(args));
                fail(args + " ran");
            } catch (CommandFailure f) {
                assertTrue(f.getMessage(), f.getMessage().contains("for a location on the host"));
            }
        }
        assertEquals(2, ran.size());
    }

    @Test
    public void methodsAreCalledOnPlainValuesOnly() {
        assertTrue(SealedProcessor.mayInvoke("abc", "length"));
        assertTrue(SealedProcessor.mayInvoke(List.of(1), "size"));
        assertTrue(SealedProcessor.mayInvoke(Map.of(), "get"));
        assertTrue(SealedProcessor.mayInvoke(new IllegalStateException(), "printStackTrace"));
        assertFalse(SealedProcessor.mayInvoke("abc", "getClass"));
        assertFalse(SealedProcessor.mayInvoke(String.class, "forName"));
        assertFalse(SealedProcessor.mayInvoke(Runtime.getRuntime(), "exec"));
        assertFalse(SealedProcessor.mayInvoke(new Object(), "toString"));
        assertFalse(SealedProcessor.mayInvoke(new IllegalStateException(), "getStackTrace"));
        assertFalse(SealedProcessor.mayInvoke(null, "toString"));
    }
}

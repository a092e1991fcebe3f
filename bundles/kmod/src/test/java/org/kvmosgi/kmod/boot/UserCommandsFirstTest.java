package org.kvmosgi.kmod.boot;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;

public class UserCommandsFirstTest {
    /** A session that only keeps variables, as far as the listener uses one. */
    static CommandSession session(Map<String, Object> vars) {
        return (CommandSession) Proxy.newProxyInstance(CommandSession.class.getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "get" -> vars.get((String) args[0]);
                    case "put" -> vars.put((String) args[0], args[1]);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    public void aSessionWithoutScopeFindsTheToolsFirst() {
        Map<String, Object> vars = new HashMap<>();
        new UserCommandsFirst().beforeExecute(session(vars), "cat /proc/modules");
        assertEquals("kmod:*", vars.get("SCOPE"));
    }

    @Test
    public void aSessionsOwnScopeIsKept() {
        Map<String, Object> vars = new HashMap<>(Map.of("SCOPE", "shell:*"));
        new UserCommandsFirst().beforeExecute(session(vars), "cat /proc/modules");
        assertEquals("shell:*", vars.get("SCOPE"));
    }
}

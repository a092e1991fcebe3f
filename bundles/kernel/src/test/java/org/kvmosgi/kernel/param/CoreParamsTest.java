package org.kvmosgi.kernel.param;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.kvmosgi.kernel.api.Printk;

public class CoreParamsTest {
    private final List<String> log = new ArrayList<>();
    private final Printk printk = (level, fmt, args) -> log.add(String.format(fmt, args));

    @Test
    public void initcallDebugIsOffUnlessTheCommandLineNamesIt() {
        assertFalse(new CoreParams("quiet mod_params.count=3", printk).initcallDebug());
        assertTrue(new CoreParams("quiet initcall_debug", printk).initcallDebug());
        assertTrue(new CoreParams("initcall_debug=1", printk).initcallDebug());
        assertFalse(new CoreParams("initcall_debug=off", printk).initcallDebug());
        assertEquals(List.of(), log);
    }

    @Test
    public void aBadValueIsReportedAsParseArgsDoesAndTheDefaultStays() {
        CoreParams p = new CoreParams("initcall_debug=maybe", printk);
        assertFalse(p.initcallDebug());
        assertEquals(List.of("Booting kernel: `maybe' invalid for parameter `initcall_debug'"), log);
    }

    @Test
    public void sysfsShowsAndSetsItAsABool() {
        CoreParams p = new CoreParams("", printk);
        ParamSpec spec = p.values().find(CoreParams.INITCALL_DEBUG);
        assertEquals(0644, spec.perm());
        assertEquals("N", p.values().get(spec));
        assertEquals(0, p.values().set(spec, "y"));
        assertTrue(p.initcallDebug());
        assertEquals("Y", p.values().get(spec));
    }
}

package org.kvmosgi.console.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class HostTableTest {
    @Test
    public void alignsTheColumnsUnderAHeader() {
        assertEquals(List.of(
                "PROFILE       ARCH     DESCRIPTION",
                "intel         x86_64   Intel Xeon, 4 CPUs",
                "power9-guest  ppc64le  POWER9 LPAR guest",
                "odd"),
                HostTable.format("intel\tx86_64\tIntel Xeon, 4 CPUs\npower9-guest\tppc64le\tPOWER9 LPAR guest\n\nodd\n"));
    }
}

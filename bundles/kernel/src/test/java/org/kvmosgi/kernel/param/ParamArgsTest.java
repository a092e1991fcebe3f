package org.kvmosgi.kernel.param;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class ParamArgsTest {
    @Test
    public void splitsOnWhitespaceAndKeepsBareNames() {
        assertEquals(List.of(new ParamArgs.Arg("a", "1"), new ParamArgs.Arg("b", null), new ParamArgs.Arg("c", "")),
                ParamArgs.split("  a=1 b\tc= "));
    }

    @Test
    public void quotesProtectSpacesAndAreRemoved() {
        assertEquals(List.of(new ParamArgs.Arg("s", "hello world"), new ParamArgs.Arg("n", "2")),
                ParamArgs.split("s=\"hello world\" n=2"));
    }

    @Test
    public void onlyTheFirstEqualsSplits() {
        assertEquals(List.of(new ParamArgs.Arg("opt", "a=b")), ParamArgs.split("opt=a=b"));
    }

    @Test
    public void nothingGivesNothing() {
        assertEquals(List.of(), ParamArgs.split(null));
        assertEquals(List.of(), ParamArgs.split("   "));
    }
}

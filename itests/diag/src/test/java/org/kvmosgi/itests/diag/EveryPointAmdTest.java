package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** {@link EveryPointTestBase} on x86 (amd): kvm and kvm_amd. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EveryPointAmdTest extends EveryPointTestBase {
    @Configuration
    public Option[] config() {
        return options(platformWith("amd", "kvm-x86"));
    }

    @Test
    public void everyPointOfKvmAndKvmAmd() throws Exception {
        int fired = everyPoint("kvm", "kvm_amd");
        assertTrue("points reached: " + fired, fired >= 4);
    }
}

package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.kit.KernelAssert;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** docs/images/kvm-x86-*.svg: kvm_intel loaded on an Intel host, kvm_amd refused there. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DocPicturesX86Test extends DocPicturesTestBase {
    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.cmdline("initcall_debug"),
                KvmOsgi.feature("kvm-x86"), KvmOsgi.featureBundles("kvm-x86"));
    }

    @Test
    public void picturesOfTheX86Layout() throws Exception {
        setUp();
        sh.ok("modprobe kvm_intel");
        assertEquals(1, sh.run("modprobe kvm_amd").status());
        KernelAssert.assertLive(kernel, "kvm", 1, "kvm_intel");
        KernelAssert.assertDmesgMatchesInOrder(kernel,
                "calling  kvm_x86_init\\+0x0/0x1000 \\[kvm\\] @ \\d+",
                "initcall kvm_x86_init\\+0x0/0x1000 \\[kvm\\] returned 0 after \\d+ usecs",
                "calling  vmx_init\\+0x0/0x1000 \\[kvm_intel\\] @ \\d+",
                "initcall vmx_init\\+0x0/0x1000 \\[kvm_intel\\] returned 0 after \\d+ usecs",
                "calling  svm_init\\+0x0/0x1000 \\[kvm_amd\\] @ \\d+",
                "initcall svm_init\\+0x0/0x1000 \\[kvm_amd\\] returned -\\d+ after \\d+ usecs");
        picture("bootgraph", "kvm-x86-bootgraph.svg", false);
        picture("modgraph -T svg", "kvm-x86-modules.svg", true);
        picture("modgraph -a -T svg", "kvm-x86-feature.svg", true);
        picture("modgraph -a", "kvm-x86-feature.dot", true);
    }
}

package org.kvmosgi.itests.diag;

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

/** docs/images/kvm-ppc-*.svg: the Book3S split on POWER9: kvm_hv live, kvm_pr refused (-EIO) on a radix host. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DocPicturesPpcTest extends DocPicturesTestBase {
    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("power9"), KvmOsgi.cmdline("initcall_debug"),
                KvmOsgi.feature("kvm-ppc"), KvmOsgi.featureBundles("kvm-ppc"));
    }

    @Test
    public void picturesOfThePowerPcSplitLayout() throws Exception {
        setUp();
        sh.ok("modprobe kvm_hv");
        KernelAssert.assertModprobeFails(sh, "kvm_pr", "modprobe: ERROR: could not insert 'kvm_pr': Input/output error");
        KernelAssert.assertLive(kernel, "kvm", 1, "kvm_hv");
        KernelAssert.assertAbsent(kernel, "kvm_pr");
        KernelAssert.assertNoLeaks(kernel);
        KernelAssert.assertDmesgMatchesInOrder(kernel,
                "initcall kvmppc_book3s_init\\+0x0/0x1000 \\[kvm\\] returned 0 after \\d+ usecs",
                "initcall kvmppc_book3s_init_hv\\+0x0/0x1000 \\[kvm_hv\\] returned 0 after \\d+ usecs",
                "initcall kvmppc_book3s_init_pr\\+0x0/0x1000 \\[kvm_pr\\] returned -5 after \\d+ usecs");
        picture("bootgraph", "kvm-ppc-bootgraph.svg", false);
        picture("modgraph -T svg", "kvm-ppc-modules.svg", true);
        picture("modgraph -a -T svg", "kvm-ppc-feature.svg", true);
        picture("modgraph -a", "kvm-ppc-feature.dot", true);
    }
}

package org.kvmosgi.launcher;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.Test;
import org.kvmosgi.launcher.Modpost.Config;
import org.kvmosgi.launcher.Modpost.Module;
import org.kvmosgi.launcher.Modpost.Rule;

public class ModpostTest {
    /** kvm-x86-monolithic's shape: both vendor modules carry the core's exports. */
    private static final List<Module> MONOLITHIC = List.of(
            new Module("arch/x86/kvm/kvm-intel", false, List.of("kvm_get_kvm", "kvm_vcpu_kick", "vmx_only")),
            new Module("arch/x86/kvm/kvm-amd", false, List.of("kvm_get_kvm", "kvm_vcpu_kick", "svm_only")));

    @Test
    public void aSymbolExportedTwiceIsAnErrorInModpostsWords() {
        assertEquals(List.of(
                "arch/x86/kvm/kvm-amd: 'kvm_get_kvm' exported twice. Previous export was in arch/x86/kvm/kvm-intel.ko",
                "arch/x86/kvm/kvm-amd: 'kvm_vcpu_kick' exported twice. Previous export was in arch/x86/kvm/kvm-intel.ko"),
                Modpost.check(MONOLITHIC, Config.STRICT));
    }

    @Test
    public void arcangelisAllowListLetsOnlyTheListedSymbolsThrough() {
        assertEquals(List.of(
                "arch/x86/kvm/kvm-amd: 'kvm_vcpu_kick' exported twice. Previous export was in arch/x86/kvm/kvm-intel.ko"),
                Modpost.check(MONOLITHIC, new Config(Rule.STRICT, Set.of("kvm_get_kvm"))));
        assertEquals(List.of(), Modpost.check(MONOLITHIC, new Config(Rule.STRICT, Set.of("kvm_get_kvm", "kvm_vcpu_kick"))));
    }

    @Test
    public void yamadasRuleReportsOnlyWhatTheImageExportsAlready() {
        assertEquals(List.of(), Modpost.check(MONOLITHIC, new Config(Rule.YAMADA, Set.of())));
        List<Module> withImage = List.of(
                new Module("arch/x86/kvm/kvm-amd", false, List.of("kvm_get_kvm")),
                new Module("arch/x86/kvm/kvm", true, List.of("kvm_get_kvm")));
        // the image is read first whatever the order; "vmlinux" without .ko, as modpost prints it
        List<String> expected = List.of("arch/x86/kvm/kvm-amd: 'kvm_get_kvm' exported twice. Previous export was in vmlinux");
        assertEquals(expected, Modpost.check(withImage, new Config(Rule.YAMADA, Set.of())));
        assertEquals("the allow-list does not cover the image", expected,
                Modpost.check(withImage, new Config(Rule.STRICT, Set.of("kvm_get_kvm"))));
    }

    @Test
    public void theConfigurationIsReadFromTheFeaturesLines() throws IOException {
        assertEquals(new Config(Rule.YAMADA, Set.of("a")), Config.parse("f", List.of("# c", "rule yamada", "", "allow a")));
        try {
            Config.parse("f", List.of("rule lenient"));
            throw new AssertionError("accepted");
        } catch (IOException e) {
            assertEquals("feature f: kvmosgi-modpost: cannot understand 'rule lenient' (rule strict|yamada, allow SYMBOL)",
                    e.getMessage());
        }
    }
}

package dev.mlv.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer arrows of DESIGN.md: cli → core, serve → core, core → git, store, metrics,
 * git → store; store and metrics import nothing of mlv's. Library types stay in their layer.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mlv");
    }

    @Test
    void layersPointOnlyDownwards() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("dev.mlv.cli..")
                .layer("serve").definedBy("dev.mlv.serve..")
                .layer("core").definedBy("dev.mlv.core..")
                .layer("git").definedBy("dev.mlv.git..")
                .layer("store").definedBy("dev.mlv.store..")
                .layer("metrics").definedBy("dev.mlv.metrics..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("serve").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("core").mayOnlyBeAccessedByLayers("cli", "serve")
                .whereLayer("git").mayOnlyBeAccessedByLayers("core")
                .whereLayer("store").mayOnlyBeAccessedByLayers("core", "git")
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("core")
                .allowEmptyShould(true);
        rule.check(classes);
    }

    @Test
    void storeAndMetricsArePlainLibraries() {
        noClasses().that().resideInAPackage("dev.mlv.store..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.mlv.cli..", "dev.mlv.serve..", "dev.mlv.core..", "dev.mlv.git..", "dev.mlv.metrics..")
                .allowEmptyShould(true)
                .check(classes);
        noClasses().that().resideInAPackage("dev.mlv.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.mlv.cli..", "dev.mlv.serve..", "dev.mlv.core..", "dev.mlv.git..", "dev.mlv.store..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void jgitStaysInGitAndCore() {
        noClasses().that().resideOutsideOfPackages("dev.mlv.git..", "dev.mlv.core..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
                .check(classes);
    }

    @Test
    void picocliAndLogbackStayInCli() {
        noClasses().that().resideOutsideOfPackage("dev.mlv.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "ch.qos.logback..")
                .check(classes);
    }

    @Test
    void awsSdkStaysInTheStoreBackends() {
        noClasses().that().resideOutsideOfPackage("dev.mlv.store..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .check(classes);
    }

    @Test
    void onlyMainExits() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.mlv.cli.Main")
                .should().callMethod(System.class, "exit", int.class)
                .check(classes);
    }

    @Test
    void onlyTheCliPrintsToTheConsole() {
        noClasses().that().resideOutsideOfPackage("dev.mlv.cli..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .check(classes);
    }
}

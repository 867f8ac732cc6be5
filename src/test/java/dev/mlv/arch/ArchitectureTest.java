package dev.mlv.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.lang.ArchRule;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.RepoFile;
import dev.mlv.store.ProgressListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer arrows of docs/architecture.md: cli → serve, mount, report, core; serve, mount, report → core;
 * core → git, store, metrics, glob; git → store; metrics → glob; store, metrics and glob import
 * nothing else of mlv's (glob, the one wildcard matcher, nothing at all). Inside core,
 * the {@code internal} packages are for core's capabilities alone. Library types stay in their layer.
 * One exception: the CLI draws progress by implementing {@link ProgressListener}, the one listener
 * type, which lives in the store because the store counts the bytes.
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
                .layer("mount").definedBy("dev.mlv.mount..")
                .layer("report").definedBy("dev.mlv.report..")
                .layer("core").definedBy("dev.mlv.core..")
                .layer("git").definedBy("dev.mlv.git..")
                .layer("store").definedBy("dev.mlv.store..")
                .layer("metrics").definedBy("dev.mlv.metrics..")
                .layer("glob").definedBy("dev.mlv.glob..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("serve").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("mount").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("core").mayOnlyBeAccessedByLayers("cli", "serve", "mount", "report")
                .whereLayer("git").mayOnlyBeAccessedByLayers("core")
                .whereLayer("store").mayOnlyBeAccessedByLayers("core", "git")
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("core")
                .whereLayer("glob").mayOnlyBeAccessedByLayers("core", "metrics")
                .ignoreDependency(resideInAPackage("dev.mlv.cli.."), equivalentTo(ProgressListener.class))
                .allowEmptyShould(true);
        rule.check(classes);
    }

    @Test
    void progressHasOneListenerType() {
        // core and the CLI once had listeners of their own, with adapters between them
        assertThat(classes.stream().filter(JavaClass::isInterface)
                .filter(c -> c.getSimpleName().endsWith("Listener") && c.getSimpleName().contains("Progress"))
                .map(JavaClass::getName))
                .containsExactly(ProgressListener.class.getName());
    }

    @Test
    void jsonHasOneMapper() {
        // dev.mlv.core.Json builds the one mapper, lazily: every JSON document mlv writes has one
        // format, and commands that print no JSON do not pay for a mapper at start-up.
        noClasses().that().doNotHaveFullyQualifiedName("dev.mlv.core.Json")
                .and().doNotHaveFullyQualifiedName("dev.mlv.core.Json$Mapper")
                .should().dependOnClassesThat().areAssignableTo(ObjectMapper.class)
                .orShould().callMethod(JsonNode.class, "toPrettyString")
                .check(classes);
    }

    @Test
    void storeMetricsAndGlobArePlainLibraries() {
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
        noClasses().that().resideInAPackage("dev.mlv.glob..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.mlv.glob..", "java..")
                .because("the one wildcard matcher is shared by core and metrics and needs only the JDK")
                .check(classes);
    }

    @Test
    void coreInternalsStayInCore() {
        noClasses().that().resideOutsideOfPackage("dev.mlv.core..")
                .should().dependOnClassesThat().resideInAPackage("dev.mlv.core..internal..")
                .because("core's internal packages are helpers for core's capabilities, not an API")
                .check(classes);
    }

    @Test
    void outsideCoreTheRepositoryIsUsedThroughTheLibraryApi() {
        // docs/api.md: the Git repository and the store behind MlvRepository are core's; cli and
        // serve read through the same calls an embedding application uses.
        noClasses().that().resideOutsideOfPackage("dev.mlv.core..")
                .should().callMethod(MlvRepository.class, "git")
                .orShould().callMethod(MlvRepository.class, "gitRepository")
                .orShould().callMethod(MlvRepository.class, "content")
                .orShould().callConstructor(RepoFile.class, MlvRepository.class, String.class, String.class, String.class,
                        long.class, boolean.class)
                .because("they hand core's operations JGit and the store, which are not part of the API")
                .check(classes);
    }

    @Test
    void topOfCoreUsesOnlySharedInternals() {
        // A capability lends helpers through its own internal package; the top of core (the
        // repository, config, errors) may use only core.internal.
        noClasses().that().resideInAPackage("dev.mlv.core")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.mlv.core.workspace.internal..", "dev.mlv.core.promotion.internal..",
                        "dev.mlv.core.data.internal..", "dev.mlv.core.ab.internal..")
                .check(classes);
    }

    @Test
    void jgitStaysInGitCoreAndTheGitHttpRoom() {
        // serve.git will host Git smart HTTP (JGit's upload-pack) for stock clients.
        noClasses().that().resideOutsideOfPackages("dev.mlv.git..", "dev.mlv.core..", "dev.mlv.serve.git..")
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
    void theFuseBindingStaysInMount() {
        noClasses().that().resideOutsideOfPackage("dev.mlv.mount..")
                .should().dependOnClassesThat().resideInAnyPackage("ru.serce.jnrfuse..", "jnr..")
                .check(classes);
    }

    @Test
    void chartsStayInReport() {
        // JFreeChart and AWT load only when 'mlv report' runs: start-up of other commands does not grow.
        noClasses().that().resideOutsideOfPackage("dev.mlv.report..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jfree..", "java.awt..", "javax.imageio..")
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

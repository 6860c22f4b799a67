package ckp.kiosk;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The kiosk's walls, checked on its compiled classes (tests excluded) so they hold by test, not by habit. A rule
 * names the wall and says why it is there; provisioning's wall is in provisioning's own WallsTest.
 */
@AnalyzeClasses(packages = "ckp.kiosk", importOptions = ImportOption.DoNotIncludeTests.class)
class WallsTest {

    @ArchTest
    static final ArchRule theKioskNeverTouchesPi4j = noClasses().that().resideInAPackage("ckp.kiosk..")
            .should().dependOnClassesThat().resideInAPackage("com.pi4j..")
            .because("drivers is the only module that imports com.pi4j; the kiosk sees hardware through tiny interfaces");

    @ArchTest
    static final ArchRule theStoreNeverDependsOnPublishing = noClasses().that().resideInAPackage("ckp.kiosk.store..")
            .should().dependOnClassesThat().resideInAPackage("ckp.kiosk.publish..")
            .because("the store keeps every event whether or not anything publishes it; publish reads the store");

    @ArchTest
    static final ArchRule scanningNeverDependsOnTheLane = noClasses().that().resideInAPackage("ckp.kiosk.scan..")
            .should().dependOnClassesThat().resideInAPackage("ckp.kiosk.lane..")
            .because("scan turns frames into sightings; the lane decides what a sighting means");

    /**
     * Holds vacuously until msgstore creates the package, and guards it from the moment it exists: the wire
     * vocabulary (topics, stamp, alarms, payloads) is shared by every stage, so it may lean on none of them.
     */
    @ArchTest
    static final ArchRule theMessagePackageDependsOnNothingOfOurs = noClasses()
            .that().resideInAPackage("ckp.kiosk.message..")
            .should().dependOnClassesThat(resideInAPackage("ckp..").and(not(resideInAPackage("ckp.kiosk.message.."))))
            .because("the message vocabulary is dependency-free: every stage uses it, so it uses no stage")
            .allowEmptyShould(true);
}

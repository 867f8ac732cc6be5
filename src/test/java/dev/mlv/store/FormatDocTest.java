package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.FormatTables.Row;
import dev.mlv.store.FormatTables.Size;
import dev.mlv.store.FormatTables.Table;
import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.MultiPackIndex;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Holds the layout tables of {@code docs/format.md} to the code and to the golden fixtures
 * ({@link GoldenFixtures}): every table lists every byte up to the size its caption states, that
 * size is the code's, each fixture object is as long as the tables say, and each magic, version,
 * reserved and literal field holds, in every fixture object, what its row says. A reader written
 * from the doc alone reads the fixtures correctly only if all of this holds.
 */
@DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
class FormatDocTest {
    private static final Pattern MAGIC = Pattern.compile("^magic `([A-Z]{4})`");
    private static final Pattern VERSION = Pattern.compile("format version, `u16` = (\\d+)");
    private static final Pattern LITERAL = Pattern.compile("^`([^`]+)`");

    private static Map<String, Table> tables;

    /** A place in a fixture object that one table describes, with the values of its quantities. */
    private record Place(String object, byte[] bytes, int at, Map<String, Long> values) {
    }

    @BeforeAll
    static void readTheDoc() throws IOException {
        tables = new LinkedHashMap<>();
        for (Table t : FormatTables.read()) {
            tables.put(t.name(), t);
        }
    }

    @Test
    void everyTableListsEveryByteUpToTheSizeItsCaptionStates() {
        assertThat(tables.keySet()).containsExactly("Pointer without extra keys", "Pack header", "Entry",
                "Footer record", "Trailer", "Index", "Multi-pack index", "Pack entry", "Multi-pack index record",
                "Manifest", "Manifest entry");
        for (Table t : tables.values()) {
            Size end = Size.of(0);
            for (Row row : t.rows()) {
                assertThat(row.offset()).as("%s line %d (%s): '%s' must start where the row above ends",
                        FormatTables.DOC, row.line(), t.name(), row.field()).isEqualTo(end);
                end = row.end();
            }
            assertThat(end).as("%s line %d: the rows of '%s' must add up to its caption's size",
                    FormatTables.DOC, t.line(), t.name()).isEqualTo(t.total());
        }
    }

    @Test
    void tableSizesAreTheCodes() {
        assertThat(total("Pack header")).isEqualTo(Size.of(PackFormat.PACK_HEADER_SIZE));
        assertThat(total("Entry")).isEqualTo(Size.parse(PackFormat.ENTRY_HEADER_SIZE + " + stored length"));
        assertThat(total("Footer record")).isEqualTo(Size.of(PackFormat.RECORD_SIZE));
        assertThat(total("Trailer")).isEqualTo(Size.of(PackFormat.TRAILER_SIZE));
        assertThat(total("Index")).isEqualTo(
                Size.parse((PackFormat.INDEX_HEADER_SIZE + 4) + " + " + PackFormat.RECORD_SIZE + "n"));
        assertThat(total("Multi-pack index")).isEqualTo(Size.parse(MultiPackIndex.FIXED_SIZE + " + "
                + MultiPackIndex.PACK_ENTRY_SIZE + "p + " + PackFormat.RECORD_SIZE + "n"));
        assertThat(row("Multi-pack index", "fan-out").size()).isEqualTo(Size.of(MultiPackIndex.FANOUT_SIZE));
        assertThat(total("Multi-pack index record")).isEqualTo(total("Footer record"));
    }

    @Test
    void repeatedRowsAreMadeOfTheTablesTheyName() {
        assertThat(row("Index", "records").size()).isEqualTo(Size.parse(total("Footer record") + "n"));
        assertThat(row("Manifest", "entries").size()).isEqualTo(Size.parse(total("Manifest entry") + "n"));
        assertThat(row("Multi-pack index", "pack entries").size()).isEqualTo(Size.parse(total("Pack entry") + "p"));
        assertThat(row("Multi-pack index", "records").size())
                .isEqualTo(Size.parse(total("Multi-pack index record") + "n"));
    }

    @Test
    void everyFixtureObjectIsAsLongAsTheTablesSay() throws IOException {
        Map<String, List<Place>> places = places();
        for (String name : List.of("Pointer without extra keys", "Index", "Multi-pack index", "Manifest")) {
            for (Place p : places.get(name)) {
                assertThat(total(name).eval(p.values())).as(p.object()).isEqualTo(p.bytes().length);
            }
        }
        for (Place pack : places.get("Pack header")) {
            long length = total("Pack header").eval(Map.of()) + total("Trailer").eval(Map.of());
            for (Place entry : places.get("Entry")) {
                if (entry.bytes() == pack.bytes()) {
                    length += total("Entry").eval(entry.values()) + total("Footer record").eval(Map.of());
                }
            }
            assertThat(length).as(pack.object() + ": header + entries + records + trailer")
                    .isEqualTo(pack.bytes().length);
        }
    }

    @Test
    void magicVersionReservedAndLiteralFieldsHoldWhatTheirRowsSay() throws IOException {
        Map<String, List<Place>> places = places();
        int reservedChecked = 0;
        for (Table t : tables.values()) {
            assertThat(places.get(t.name())).as("fixture objects for '" + t.name() + "'").isNotEmpty();
            for (Place p : places.get(t.name())) {
                for (Row row : t.rows()) {
                    reservedChecked += checkRow(t, row, p);
                }
            }
        }
        assertThat(reservedChecked).as("reserved fields checked in the fixtures").isGreaterThan(20);
    }

    /** Checks one row at one place; returns 1 if it was a reserved field. */
    private static int checkRow(Table t, Row row, Place p) {
        int at = p.at() + (int) row.offset().eval(p.values());
        int size = (int) row.size().eval(p.values());
        String what = p.object() + " at " + at + ": " + t.name() + " '" + row.field() + "' (format.md line "
                + row.line() + ")";
        Matcher magic = MAGIC.matcher(row.field());
        Matcher version = VERSION.matcher(row.field());
        Matcher literal = LITERAL.matcher(row.field());
        if (magic.find()) {
            assertThat(new String(p.bytes(), at, size, StandardCharsets.US_ASCII)).as(what).isEqualTo(magic.group(1));
        } else if (version.find()) {
            assertThat(ByteBuffer.wrap(p.bytes()).getShort(at) & 0xffff).as(what)
                    .isEqualTo(Integer.parseInt(version.group(1)));
        } else if (literal.find()) {
            String text = literal.group(1);
            assertThat(new String(p.bytes(), at, text.length(), StandardCharsets.US_ASCII)).as(what).isEqualTo(text);
            assertThat(row.field()).endsWith("LF");
            assertThat(p.bytes()[at + size - 1]).as(what + " ends with LF").isEqualTo((byte) '\n');
        } else if (row.field().contains("reserved")) {
            for (int k = at; k < at + size; k++) {
                assertThat(p.bytes()[k]).as(what + ", byte " + k).isZero();
            }
            return 1;
        }
        return 0;
    }

    private static Size total(String name) {
        return tables.get(name).total();
    }

    /** The row of table {@code name} whose field starts with {@code field}. */
    private static Row row(String name, String field) {
        return tables.get(name).rows().stream().filter(r -> r.field().startsWith(field)).findFirst()
                .orElseThrow(() -> new AssertionError("format.md: no row '" + field + "' in '" + name + "'"));
    }

    private static int constant(Size size) {
        return (int) size.eval(Map.of());
    }

    /**
     * Where each table applies in the fixtures: entries found through today's index reader, all
     * else by the doc's own sizes (records follow the footer offset, the trailer ends the pack,
     * manifest entries follow the manifest header).
     */
    private static Map<String, List<Place>> places() throws IOException {
        int trailer = constant(total("Trailer"));
        int record = constant(total("Footer record"));
        int entriesAt = (int) row("Manifest", "entries").offset().eval(Map.of());
        int entry = constant(total("Manifest entry"));
        Map<String, List<Place>> places = new LinkedHashMap<>();
        tables.keySet().forEach(name -> places.put(name, new ArrayList<>()));
        SortedMap<String, byte[]> store = GoldenFixtures.tree(GoldenFixtures.root().resolve("store"));
        for (Map.Entry<String, byte[]> e : store.entrySet()) {
            String key = e.getKey();
            byte[] b = e.getValue();
            if (key.startsWith("packs/")) {
                String indexKey = "index/" + key.substring(key.lastIndexOf('/') + 1).replace(".pack", ".idx");
                PackRecords records = PackFiles.decodeIndex(indexKey, store.get(indexKey));
                long footer = ByteBuffer.wrap(b).getLong(b.length - trailer);
                places.get("Pack header").add(new Place(key, b, 0, Map.of()));
                places.get("Trailer").add(new Place(key, b, b.length - trailer, Map.of()));
                for (int i = 0; i < records.count(); i++) {
                    places.get("Entry").add(new Place(key, b, (int) records.offset(i),
                            Map.of("stored length", (long) records.storedLength(i))));
                    places.get("Footer record").add(new Place(key, b, (int) footer + i * record, Map.of()));
                }
                places.get("Index").add(new Place(indexKey, store.get(indexKey), 0, Map.of("n", (long) records.count())));
            } else if (key.startsWith("manifests/")) {
                Manifest m = Manifest.decode(key, b);
                places.get("Manifest").add(new Place(key, b, 0, Map.of("n", (long) m.chunkCount())));
                for (int i = 0; i < m.chunkCount(); i++) {
                    places.get("Manifest entry").add(new Place(key, b, entriesAt + entry * i, Map.of()));
                }
            }
        }
        byte[] midx = java.nio.file.Files.readAllBytes(GoldenFixtures.root().resolve(MultiPackIndexGoldenTest.FIXTURE));
        MultiPackIndex m = MultiPackIndex.open(dev.mlv.store.pack.Slab.wrap(midx), "fixture");
        long p = m.packCount();
        long n = m.count();
        places.get("Multi-pack index").add(new Place(MultiPackIndexGoldenTest.FIXTURE, midx, 0, Map.of("p", p, "n", n)));
        int packsAt = (int) row("Multi-pack index", "pack entries").offset().eval(Map.of());
        int recordsAt = (int) row("Multi-pack index", "records").offset().eval(Map.of("p", p));
        for (int k = 0; k < p; k++) {
            places.get("Pack entry").add(new Place(MultiPackIndexGoldenTest.FIXTURE, midx,
                    packsAt + k * constant(total("Pack entry")), Map.of()));
        }
        for (int i = 0; i < n; i++) {
            places.get("Multi-pack index record").add(new Place(MultiPackIndexGoldenTest.FIXTURE, midx,
                    recordsAt + i * constant(total("Multi-pack index record")), Map.of()));
        }
        for (GoldenFixtures.FixtureFile f : GoldenFixtures.files()) {
            byte[] b = GoldenFixtures.tree(GoldenFixtures.root().resolve("repo")).get(f.path());
            long digits = Long.toString(f.content().length).length();
            places.get("Pointer without extra keys").add(new Place(f.path(), b, 0, Map.of("d", digits)));
        }
        return places;
    }
}

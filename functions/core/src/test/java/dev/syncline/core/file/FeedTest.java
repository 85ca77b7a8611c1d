package dev.syncline.core.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FeedTest {

    private static final UUID INSTALLATION = UUID.fromString("3f2b6c1e-0d4a-4e8b-9c7d-5a6b7c8d9e0f");
    private static final String SEGMENT = "8c1d4f7a2e9b3c6d0f5a8e1b4c7d2a9f6e3b0c5d8a1f4e7b2c9d6a3f0e5b8c1d";

    @Test
    void aPublishedKey_hasItsSegmentAndName_aGuardedOrOldKeyHasNoSegment() {
        Feed published = feed(Feed.publishedKey(INSTALLATION, SEGMENT, Feed.latestName("text/csv")));
        Feed guarded = feed(Feed.guardedKey(INSTALLATION, Feed.latestName("application/json")));

        assertThat(published.latestKey()).isEqualTo("feeds/" + INSTALLATION + "/" + SEGMENT + "/latest.csv");
        assertThat(published.segment()).hasValue(SEGMENT);
        assertThat(published.latestName()).isEqualTo("latest.csv");
        assertThat(guarded.latestKey()).isEqualTo("feeds/" + INSTALLATION + "/latest.json");
        assertThat(guarded.segment()).isEmpty();
        assertThat(guarded.latestName()).isEqualTo("latest.json");
        assertThat(feed(null).segment()).isEmpty();
        assertThat(feed(null).latestName()).isNull();
    }

    @Test
    void text_neverShowsTheSegment_whichIsAsSecretAsTheToken() {
        Feed published = feed(Feed.publishedKey(INSTALLATION, SEGMENT, "latest.csv"));
        FeedLink link = new FeedLink("f".repeat(64), URI.create("https://bucket.s3.amazonaws.com/" + published.latestKey()), false);

        assertThat(published.toString()).doesNotContain(SEGMENT).contains(INSTALLATION.toString(), "latest.csv");
        assertThat(link.toString()).doesNotContain(SEGMENT).doesNotContain("f".repeat(64));
    }

    private static Feed feed(String latestKey) {
        return new Feed(INSTALLATION, null, null, null, latestKey, latestKey == null ? null : UUID.randomUUID(),
                latestKey == null ? null : Instant.parse("2026-12-04T10:00:00Z"));
    }
}

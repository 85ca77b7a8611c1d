package dev.syncline.api;

import dev.syncline.core.file.FeedLink;

/**
 * An installation's feed as the API shows it.
 *
 * @param feedUrl the constant URL: never expires, needs no API key (the token in its path is the credential)
 * @param feedS3Url the stable object's S3 URL, with the random segment a rotation changes; readable without signing
 *     only where the deployment publishes feeds; null before the first promotion, while the feed has basic credentials,
 *     and for a feed from before segments until its next promotion or rotation
 * @param basicAuth whether the feed also asks for HTTP basic credentials
 */
record FeedView(String feedUrl, String feedS3Url, boolean basicAuth) {

    static FeedView of(FeedLink link, ApiRequest request) {
        return new FeedView(FeedsEndpoint.feedUrl(request, link.token()),
                link.storageUrl() == null ? null : link.storageUrl().toString(), link.protectedByPassword());
    }
}

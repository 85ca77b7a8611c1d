package dev.syncline.core.webhook;

import java.util.List;

/**
 * A webhook as the PIM asked for it, not yet checked ({@link WebhookService#check}).
 *
 * @param url the receiver's URL
 * @param events wire names of the events it wants; null or absent for {@link WebhookEvent#DEFAULT} alone
 */
public record WebhookRequest(String url, List<String> events) {
}

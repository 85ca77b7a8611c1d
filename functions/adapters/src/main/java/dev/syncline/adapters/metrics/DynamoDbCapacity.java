package dev.syncline.adapters.metrics;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB capacity units of one call: asks for them ({@code ReturnConsumedCapacity: TOTAL}), reads what the
 * service reports, and computes them from item sizes where it reports none.
 *
 * <p>The computation follows DynamoDB's billing rules
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html): a write costs 1
 * unit per started KB of the item (the larger of the old and new item), a read 1 unit per started 4 KB, half of
 * that when eventually consistent; a query or scan rounds the sum of the items it returns; every call costs at
 * least one unit (half for an eventually consistent read). An item's size is the UTF-8 length of its attribute
 * names plus the size of its values
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
 *
 * <p>It is an estimate: an update that does not return the item is sized from its key and new values only,
 * writes to a secondary index are not added, and a query is sized by what it returned, not by what a filter
 * dropped. It is used only where the service reported nothing: a failed conditional write (billed, but its
 * exception carries no capacity), or an emulator that leaves the field out.
 */
final class DynamoDbCapacity {

    static final int WRITE_UNIT_BYTES = 1024;
    static final int READ_UNIT_BYTES = 4 * 1024;

    /** Read and write capacity units of one call. */
    record Units(double read, double write) {
        static final Units NONE = new Units(0, 0);
    }

    private DynamoDbCapacity() {
    }

    /** The request with {@code ReturnConsumedCapacity: TOTAL} when it is one that can report capacity and does not yet ask. */
    static SdkRequest askingForTotal(SdkRequest request) {
        return switch (request) {
            case GetItemRequest get when !asks(get.returnConsumedCapacity()) -> get.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case PutItemRequest put when !asks(put.returnConsumedCapacity()) -> put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case UpdateItemRequest update when !asks(update.returnConsumedCapacity()) ->
                    update.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case DeleteItemRequest delete when !asks(delete.returnConsumedCapacity()) ->
                    delete.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case QueryRequest query when !asks(query.returnConsumedCapacity()) -> query.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case ScanRequest scan when !asks(scan.returnConsumedCapacity()) -> scan.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case BatchGetItemRequest batch when !asks(batch.returnConsumedCapacity()) ->
                    batch.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case BatchWriteItemRequest batch when !asks(batch.returnConsumedCapacity()) ->
                    batch.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            default -> request;
        };
    }

    private static boolean asks(ReturnConsumedCapacity value) {
        return value == ReturnConsumedCapacity.TOTAL || value == ReturnConsumedCapacity.INDEXES;
    }

    /** The units the service reported for a successful call, or null when it reported none. */
    static Units reported(SdkRequest request, SdkResponse response) {
        boolean read = isRead(request);
        List<ConsumedCapacity> reported = switch (response) {
            case GetItemResponse get -> single(get.consumedCapacity());
            case PutItemResponse put -> single(put.consumedCapacity());
            case UpdateItemResponse update -> single(update.consumedCapacity());
            case DeleteItemResponse delete -> single(delete.consumedCapacity());
            case QueryResponse query -> single(query.consumedCapacity());
            case ScanResponse scan -> single(scan.consumedCapacity());
            case BatchGetItemResponse batch -> batch.hasConsumedCapacity() ? batch.consumedCapacity() : List.of();
            case BatchWriteItemResponse batch -> batch.hasConsumedCapacity() ? batch.consumedCapacity() : List.of();
            default -> List.of();
        };
        if (reported.isEmpty()) {
            return null;
        }
        double units = 0;
        for (ConsumedCapacity capacity : reported) {
            if (capacity.capacityUnits() != null) {
                units += capacity.capacityUnits();
            } else {
                Double part = read ? capacity.readCapacityUnits() : capacity.writeCapacityUnits();
                units += part == null ? 0 : part;
            }
        }
        return read ? new Units(units, 0) : new Units(0, units);
    }

    /**
     * The units of a call computed from item sizes.
     *
     * @param response the answer of a successful call, or null for a failed conditional write (billed as if it
     *     had written what it asked to)
     */
    static Units estimate(SdkRequest request, SdkResponse response) {
        return switch (request) {
            case GetItemRequest get -> new Units(readUnits(response instanceof GetItemResponse found && found.hasItem()
                    ? itemSize(found.item()) : 0, get.consistentRead()), 0);
            case QueryRequest query -> new Units(readUnits(response instanceof QueryResponse page && page.hasItems()
                    ? itemsSize(page.items()) : 0, query.consistentRead()), 0);
            case ScanRequest scan -> new Units(readUnits(response instanceof ScanResponse page && page.hasItems()
                    ? itemsSize(page.items()) : 0, scan.consistentRead()), 0);
            case BatchGetItemRequest batch -> new Units(batchReadUnits(batch, response), 0);
            case PutItemRequest put -> {
                int size = itemSize(put.item());
                if (response instanceof PutItemResponse old && old.hasAttributes()) {
                    size = Math.max(size, itemSize(old.attributes()));
                }
                yield new Units(0, writeUnits(size));
            }
            case UpdateItemRequest update -> {
                int size = itemSize(update.key()) + (update.hasExpressionAttributeValues() ? itemSize(update.expressionAttributeValues()) : 0);
                boolean wholeItem = update.returnValues() == ReturnValue.ALL_NEW || update.returnValues() == ReturnValue.ALL_OLD;
                if (wholeItem && response instanceof UpdateItemResponse returned && returned.hasAttributes()) {
                    size = Math.max(size, itemSize(returned.attributes()));
                }
                yield new Units(0, writeUnits(size));
            }
            case DeleteItemRequest delete -> new Units(0, writeUnits(response instanceof DeleteItemResponse old && old.hasAttributes()
                    ? itemSize(old.attributes()) : itemSize(delete.key())));
            case BatchWriteItemRequest batch -> new Units(0, batchWriteUnits(batch));
            default -> Units.NONE;
        };
    }

    /** Whether the request reads (billed in read units) rather than writes. */
    static boolean isRead(SdkRequest request) {
        return request instanceof GetItemRequest || request instanceof QueryRequest || request instanceof ScanRequest
                || request instanceof BatchGetItemRequest;
    }

    /** The size DynamoDB bills for an item: attribute names in UTF-8 plus their values. */
    static int itemSize(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8Length(attribute.getKey()) + valueSize(attribute.getValue());
        }
        return size;
    }

    private static int valueSize(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8Length(value.s());
            case N -> numberSize(value.n());
            case B -> bytes(value.b());
            case SS -> value.ss().stream().mapToInt(DynamoDbCapacity::utf8Length).sum();
            case NS -> value.ns().stream().mapToInt(DynamoDbCapacity::numberSize).sum();
            case BS -> value.bs().stream().mapToInt(DynamoDbCapacity::bytes).sum();
            case BOOL, NUL -> 1;
            // A list or map costs 3 bytes, plus 1 byte per element on top of the element itself.
            case L -> 3 + value.l().stream().mapToInt(element -> 1 + valueSize(element)).sum();
            case M -> 3 + value.m().size() + itemSize(value.m());
            case UNKNOWN_TO_SDK_VERSION -> 0;
        };
    }

    /** About one byte per two significant digits, plus one: DynamoDB's documented approximation. */
    private static int numberSize(String number) {
        int digits = 0;
        boolean leading = true;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '0' && c <= '9') {
                if (leading && c == '0') {
                    continue;
                }
                leading = false;
                digits++;
            } else if (c == 'e' || c == 'E') {
                break;
            }
        }
        return 1 + (Math.max(digits, 1) + 1) / 2;
    }

    private static int bytes(SdkBytes bytes) {
        return bytes.asByteArrayUnsafe().length;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int itemsSize(List<Map<String, AttributeValue>> items) {
        return items.stream().mapToInt(DynamoDbCapacity::itemSize).sum();
    }

    private static double readUnits(int bytes, Boolean consistent) {
        double units = Math.max(1, Math.ceilDiv(bytes, READ_UNIT_BYTES));
        return Boolean.TRUE.equals(consistent) ? units : units / 2;
    }

    private static double writeUnits(int bytes) {
        return Math.max(1, Math.ceilDiv(bytes, WRITE_UNIT_BYTES));
    }

    /** Each item is rounded on its own, as BatchGetItem bills it. */
    private static double batchReadUnits(BatchGetItemRequest request, SdkResponse response) {
        if (!(response instanceof BatchGetItemResponse batch) || !batch.hasResponses()) {
            return 0;
        }
        double units = 0;
        for (Map.Entry<String, List<Map<String, AttributeValue>>> table : batch.responses().entrySet()) {
            KeysAndAttributes asked = request.requestItems().get(table.getKey());
            Boolean consistent = asked == null ? null : asked.consistentRead();
            for (Map<String, AttributeValue> item : table.getValue()) {
                units += readUnits(itemSize(item), consistent);
            }
        }
        return units;
    }

    private static double batchWriteUnits(BatchWriteItemRequest request) {
        double units = 0;
        for (List<WriteRequest> writes : request.requestItems().values()) {
            for (WriteRequest write : writes) {
                units += write.putRequest() != null ? writeUnits(itemSize(write.putRequest().item()))
                        : writeUnits(itemSize(write.deleteRequest().key()));
            }
        }
        return units;
    }

    private static List<ConsumedCapacity> single(ConsumedCapacity capacity) {
        return capacity == null ? List.of() : List.of(capacity);
    }
}

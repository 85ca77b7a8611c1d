package dev.syncline.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

class DynamoDbCapacityTest {

    @Test
    void itemSize_countsAttributeNamesAndValuesAsDynamoDbBillsThem() {
        // "pk" + "abc" = 5; "n" + 123 (two bytes for three digits, plus one) = 4; "l" + list overhead 3 + (1 + 1) = 6.
        Map<String, AttributeValue> item = Map.of(
                "pk", AttributeValue.fromS("abc"),
                "n", AttributeValue.fromN("123"),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromBool(true))));

        assertThat(DynamoDbCapacity.itemSize(item)).isEqualTo(5 + 4 + 6);
    }

    @Test
    void estimate_ofAPut_isOneWriteUnitPerStartedKilobyte() {
        PutItemRequest exactlyOneKb = PutItemRequest.builder().item(Map.of("v", AttributeValue.fromS("x".repeat(1023)))).build();
        PutItemRequest justOver = PutItemRequest.builder().item(Map.of("v", AttributeValue.fromS("x".repeat(1024)))).build();

        assertThat(DynamoDbCapacity.estimate(exactlyOneKb, null).write()).isEqualTo(1.0);
        assertThat(DynamoDbCapacity.estimate(justOver, null).write()).isEqualTo(2.0);
    }

    @Test
    void estimate_ofAnEventuallyConsistentRead_isHalfAUnitPerStarted4Kilobytes() {
        GetItemResponse found = GetItemResponse.builder().item(Map.of("v", AttributeValue.fromS("x".repeat(5000)))).build();

        assertThat(DynamoDbCapacity.estimate(GetItemRequest.builder().build(), found).read()).isEqualTo(1.0);
        assertThat(DynamoDbCapacity.estimate(GetItemRequest.builder().consistentRead(true).build(), found).read()).isEqualTo(2.0);
        assertThat(DynamoDbCapacity.estimate(GetItemRequest.builder().build(), GetItemResponse.builder().build()).read())
                .as("a read that finds nothing is billed the minimum").isEqualTo(0.5);
    }

    @Test
    void estimate_ofAQuery_roundsTheSumOfItsItemsOnce() {
        Map<String, AttributeValue> item = Map.of("v", AttributeValue.fromS("x".repeat(999)));
        QueryResponse page = QueryResponse.builder().items(List.of(item, item, item)).count(3).build();

        assertThat(DynamoDbCapacity.estimate(QueryRequest.builder().consistentRead(true).build(), page).read()).isEqualTo(1.0);
    }

    @Test
    void askingForTotal_addsTheRequestOnlyWhereNoneWasMade() {
        GetItemRequest plain = GetItemRequest.builder().tableName("t").build();
        QueryRequest indexes = QueryRequest.builder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
        SendMessageRequest notDynamoDb = SendMessageRequest.builder().messageBody("m").build();

        assertThat(((GetItemRequest) DynamoDbCapacity.askingForTotal(plain)).returnConsumedCapacity()).isEqualTo(ReturnConsumedCapacity.TOTAL);
        assertThat(DynamoDbCapacity.askingForTotal(indexes)).isSameAs(indexes);
        assertThat(DynamoDbCapacity.askingForTotal(notDynamoDb)).isSameAs(notDynamoDb);
    }
}

package dev.syncline.sampleapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvWriterTest {

    @Test
    void row_withPlainFields_joinsThemWithCommasAndEndsWithCrlf() {
        assertThat(new CsvWriter().row(List.of("a", "b c", "d")).row(List.of("e")).toString())
                .isEqualTo("a,b c,d\r\ne\r\n");
    }

    @Test
    void row_withCommaQuoteOrLineBreak_quotesTheFieldAndDoublesItsQuotes() {
        String csv = new CsvWriter().row(List.of("1,5", "say \"hi\"", "two\nlines", "cr\rhere")).toString();

        assertThat(csv).isEqualTo("\"1,5\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\r\n");
    }

    @Test
    void row_withNullOrEmptyFields_writesEmptyFields() {
        assertThat(new CsvWriter().row(Arrays.asList(null, "", "x", null)).toString()).isEqualTo(",,x,\r\n");
    }
}

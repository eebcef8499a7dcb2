package io.iris.parser;

import io.iris.schemas.avro.IndexableColumn;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.QueryShape;
import io.iris.schemas.avro.StatementType;
import java.util.List;

/**
 * What a statement is and how it is built, literal-free.
 *
 * @param type the kind of statement
 * @param mode FULL when a SQL parser confirmed the structure, LEXICAL when it came from tokens
 * @param shape tables, joins, predicates and the rest
 * @param indexableColumns the columns an index could serve, with their usage
 */
public record StatementShape(
    StatementType type, ParseMode mode, QueryShape shape, List<IndexableColumn> indexableColumns) {}

package postgres

// These let the tests explain the queries.
const (
	ChargeItemsGetManySQL = getManySQL
	ChargeItemsListRefSQL = listRefSQL
)

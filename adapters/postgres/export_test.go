package postgres

// ChargeItemsGetManySQL lets the tests explain the query.
const ChargeItemsGetManySQL = getManySQL

// Package money holds exact monetary amounts, decimal rates and named roundings.
//
// An Amount is an int64 count of a currency's minor units (cents for EUR, yen
// for JPY, fils for BHD). Rates (tariff point values, tax percentages, risk
// factors, FX) are exact decimals. A Rate becomes an Amount only through a
// method that names its Rounding, so every rounding in the hub is explicit.
// Nothing in this package uses binary floating point.
package money

"""Funds: trace the chain, stop payment (紧急止付), freeze (快速冻结), protective hold, return (资金返还)."""

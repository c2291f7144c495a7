"""One module per dissuasion channel, all behind `DispatchChannel`; `REGISTRY` lists them."""

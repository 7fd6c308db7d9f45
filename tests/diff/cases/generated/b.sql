create table boxes (w int, h int, area int generated always as (w * h * 2) stored, label text generated always as ('box') stored);
create table plain (a int, b int generated always as (a + 1) stored);

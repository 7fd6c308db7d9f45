create extension citext version '1.6';
create extension cube version '1.5';
create table t (c citext);

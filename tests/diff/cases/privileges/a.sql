do $$ begin create role diff_writer; exception when duplicate_object then null; end $$;
create table ledger (id int primary key, amount numeric);
create view ledger_view as select * from ledger;
grant select, insert on ledger to diff_writer;
grant select on ledger_view to diff_writer with grant option;
create sequence seq_a;
grant usage on sequence seq_a to diff_writer;

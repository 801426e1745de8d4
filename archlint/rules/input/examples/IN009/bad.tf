# Each step doubles the list: local.step40 would hold 2 ** 40 items (a few bytes of HCL asking for terabytes).
locals {
  step0 = ["a", "b"]
  step1 = concat(local.step0, local.step0)
  step2 = concat(local.step1, local.step1)
  step3 = concat(local.step2, local.step2)
  step4 = concat(local.step3, local.step3)
  step5 = concat(local.step4, local.step4)
  step6 = concat(local.step5, local.step5)
  step7 = concat(local.step6, local.step6)
  step8 = concat(local.step7, local.step7)
  step9 = concat(local.step8, local.step8)
  step10 = concat(local.step9, local.step9)
  step11 = concat(local.step10, local.step10)
  step12 = concat(local.step11, local.step11)
  step13 = concat(local.step12, local.step12)
  step14 = concat(local.step13, local.step13)
  step15 = concat(local.step14, local.step14)
  step16 = concat(local.step15, local.step15) # expect: IN009
  step17 = concat(local.step16, local.step16)
}

resource "aws_instance" "worker" {
  count         = length(local.step17)
  instance_type = "t3.micro"
  tags          = { team = "platform" }
}
